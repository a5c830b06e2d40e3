//! Warning engine: threat prediction and per-area warning policy. Pure: no IO, no clock, deterministic.
