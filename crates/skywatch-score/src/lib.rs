//! Scorer: GOSPA, ID switches, warning figures, exactly as the scenario spec defines them.
