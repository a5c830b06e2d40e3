//! Optimal assignment at the sizes association clusters and GOSPA steps really have:
//! small clusters (a few tracks) dominate; 50 x 50 is a dense wave front.

use criterion::{BenchmarkId, Criterion, black_box, criterion_group, criterion_main};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn bench(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut group = c.benchmark_group("assign");
    for n in [4usize, 16, 50] {
        let costs: Vec<f64> = (0..n * n).map(|_| rng.r#gen::<f64>() * 1e6).collect();
        group.bench_with_input(BenchmarkId::from_parameter(n), &costs, |b, costs| {
            b.iter(|| skywatch_assign::assign(black_box(costs), n, n))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
