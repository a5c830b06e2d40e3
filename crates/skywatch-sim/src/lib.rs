//! Scenario simulator: objects on routes, imperfect sensors, truth and labels. Deterministic for a seed.
