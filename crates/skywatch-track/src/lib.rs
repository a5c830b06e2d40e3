//! Tracking engine: multi-sensor multi-target fusion. Pure: no IO, no clock, deterministic.
