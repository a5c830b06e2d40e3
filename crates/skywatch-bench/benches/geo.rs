//! Geodesy kernels on the tracker's hot path: every radar plot and bearing goes through
//! a geodetic/ECEF/ENU conversion.

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use skywatch_geo::{Aer, Geodetic, LocalFrame, ecef_to_geodetic};

fn bench(c: &mut Criterion) {
    let frame = LocalFrame::new(Geodetic::new(37.9, 127.73, 250.0));
    let target = Geodetic::new(38.1, 127.5, 800.0).to_ecef();
    c.bench_function("geodetic_to_ecef", |b| {
        b.iter(|| black_box(Geodetic::new(37.5, 127.0, 500.0)).to_ecef())
    });
    c.bench_function("ecef_to_geodetic", |b| {
        b.iter(|| ecef_to_geodetic(black_box(&target)))
    });
    c.bench_function("aer_of_ecef", |b| {
        b.iter(|| frame.aer_of_ecef(black_box(&target)))
    });
    let aer = Aer {
        az_deg: 301.0,
        el_deg: 1.5,
        range_m: 18_000.0,
    };
    c.bench_function("ecef_of_aer", |b| {
        b.iter(|| frame.ecef_of_aer(black_box(&aer)))
    });
    let seoul = Geodetic::new(37.5665, 126.978, 0.0);
    let busan = Geodetic::new(35.1796, 129.0756, 0.0);
    c.bench_function("geodesic_inverse", |b| {
        b.iter(|| black_box(seoul).geodesic_to(black_box(&busan)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
