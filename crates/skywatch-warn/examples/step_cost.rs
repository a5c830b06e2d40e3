//! Quick cost figure of one step at mass-wave load (600 threats, 251 areas), in wall
//! time and in CPU time of this thread (the build machine is shared, so CPU time is the
//! honest figure). Not a test; run in release:
//!
//! `CARGO_TARGET_DIR=/work/tgt/warn cargo run --release -p skywatch-warn --example step_cost`
#![allow(clippy::print_stdout)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use skywatch_areas::AreaSet;
use skywatch_model::TrackSnapshot;
use skywatch_warn::{PolicyKind, WarnConfig, build_policy};

#[path = "../benches/support/wave.rs"]
mod support;
use support::wave;

/// CPU time of the calling thread, nanoseconds (Linux; 0 elsewhere).
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn main() {
    let areas = Arc::new(AreaSet::korea_municipalities());
    for (name, kind, routes, repredict) in [
        (
            "predictive, routes on, repredict 3 s",
            PolicyKind::Predictive,
            true,
            3.0,
        ),
        (
            "predictive, routes off, repredict 3 s",
            PolicyKind::Predictive,
            false,
            3.0,
        ),
        (
            "predictive, routes on, repredict every step",
            PolicyKind::Predictive,
            true,
            0.0,
        ),
        ("radius", PolicyKind::Radius, false, 3.0),
        ("province", PolicyKind::Province, false, 3.0),
    ] {
        let mut cfg = WarnConfig::default();
        cfg.routes.enabled = routes;
        cfg.predict.repredict_s = repredict;
        let mut p = build_policy(kind, cfg, areas.clone()).expect("policy");
        let frames: Vec<Vec<TrackSnapshot>> = (0..420).map(|k| wave(k as f64)).collect();
        let (mut cold, mut warm) = ((0u64, 0f64), (0u64, 0f64));
        for (k, f) in frames.iter().enumerate() {
            let (c0, w0) = (thread_cpu_ns(), Instant::now());
            black_box(p.step(k as f64, f));
            let (c, w) = (thread_cpu_ns() - c0, w0.elapsed().as_secs_f64());
            let slot = if k < 120 { &mut cold } else { &mut warm };
            slot.0 += c;
            slot.1 += w;
        }
        println!(
            "{name}: first 120 steps {:.1} ms CPU/step ({:.1} wall); next 300 steps {:.1} ms CPU/step ({:.1} wall)",
            cold.0 as f64 / 120.0 / 1e6,
            cold.1 / 120.0 * 1e3,
            warm.0 as f64 / 300.0 / 1e6,
            warm.1 / 300.0 * 1e3,
        );
    }
}
