//! Criterion benchmarks live in `benches/`, one file per kernel family; run them with
//! `cargo bench -p skywatch-bench`. Results and the machine they ran on are recorded in
//! `bench/RESULTS.md`. This crate has no library code of its own.
