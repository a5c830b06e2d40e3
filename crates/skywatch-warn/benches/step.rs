//! Cost of one engine step at mass-wave load: 600 threats over the 251 Korean
//! municipalities, once per second.
//!
//! `CARGO_TARGET_DIR=/work/tgt/warn cargo bench -p skywatch-warn --bench step`

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use skywatch_areas::AreaSet;
use skywatch_model::TrackSnapshot;
use skywatch_warn::{PolicyKind, WarnConfig, build_policy};

#[path = "support/wave.rs"]
mod support;
use support::wave;

fn bench(c: &mut Criterion) {
    let areas = Arc::new(AreaSet::korea_municipalities());
    for (name, kind, routes) in [
        ("predictive_600_routes", PolicyKind::Predictive, true),
        ("predictive_600_no_routes", PolicyKind::Predictive, false),
        ("radius_600", PolicyKind::Radius, false),
        ("province_600", PolicyKind::Province, false),
    ] {
        let mut cfg = WarnConfig::default();
        cfg.routes.enabled = routes;
        let mut p = build_policy(kind, cfg, areas.clone()).expect("policy");
        // Warm up: fill the area grid, route memory and per-area state.
        let mut t = 0.0;
        while t < 120.0 {
            black_box(p.step(t, &wave(t)));
            t += 1.0;
        }
        let frames: Vec<Vec<TrackSnapshot>> = (0..600).map(|k| wave(120.0 + k as f64)).collect();
        let mut k = 0usize;
        c.bench_function(name, |b| {
            b.iter(|| {
                t += 1.0;
                let mut frame = frames[k % frames.len()].clone();
                for s in &mut frame {
                    s.estimate.t = t;
                    s.last_update_t = t;
                }
                k += 1;
                black_box(p.step(t, &frame))
            })
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(std::time::Duration::from_secs(5));
    targets = bench
}
criterion_main!(benches);
