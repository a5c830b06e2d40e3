//! Tracking kernels: the IMM prediction every track pays each time it is touched, and
//! the whole engine (gating, assignment, updates, initiation) over a recorded scenario,
//! reported as time per report.

use criterion::{Criterion, Throughput, black_box, criterion_group, criterion_main};
use skywatch_scenario::ScenarioDir;
use skywatch_track::imm::{Imm, ImmConfig, ImmState};
use skywatch_track::motion::{Cov, State};
use skywatch_track::{Engine, EngineConfig};

fn bench(c: &mut Criterion) {
    let imm = Imm::new(ImmConfig::default());
    let x = State::from_column_slice(&[1000.0, 2000.0, 45.0, -20.0, 0.01, 500.0, 0.0]);
    let p = Cov::from_diagonal(&State::from_column_slice(&[
        900.0, 900.0, 25.0, 25.0, 1e-4, 400.0, 4.0,
    ]));
    let start = ImmState::new(0.0, x, p, 0.2);
    c.bench_function("imm_predict_1s", |b| {
        b.iter(|| {
            let mut s = start;
            s.predict(&imm, black_box(1.0));
            s
        })
    });

    // The shared example scenario (radar, 400 acoustic nodes, ADS-B; 300 s).
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../skywatch-scenario/tests/data/example");
    let scenario = ScenarioDir::open(&dir).expect("example scenario");
    let reports: Vec<_> = scenario
        .reports()
        .expect("reports")
        .map(|r| r.expect("valid report").1)
        .collect();
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(reports.len() as u64));
    group.sample_size(20);
    group.bench_function("example_scenario_replay", |b| {
        b.iter(|| {
            let mut engine = Engine::new(EngineConfig::default());
            let mut next_second = 0.0;
            for r in &reports {
                while r.rx > next_second {
                    black_box(engine.snapshots_at(next_second));
                    next_second += 1.0;
                }
                let _ = engine.ingest(r);
            }
            engine.len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
