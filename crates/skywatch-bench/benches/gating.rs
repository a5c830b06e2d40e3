//! The gating index (`skywatch_track::index::Grid`, 4 km ECEF cubes) at the query shapes
//! `Engine` uses to find candidate tracks for a report, time per query:
//!
//! - `radar3d`: one cube of half-edge drift + 4 sigma cross-range around a 30 km plot
//!   (drift = 1500 m margin + 350 m/s x 0.5 s, the mean age of the index);
//! - `bearing`: a 6 km ray without elevation from an acoustic node, sampled every cell
//!   (3 cubes of half-edge drift + half a cell + 3 km of unknown height).
//!
//! The geometry mirrors `Engine::candidates` (private) with the default `GatingConfig`;
//! the visitor does what the engine's does (stamp dedupe, push to a reused Vec).
//!
//! Two series: `*_region300km/N` puts N tracks (10 .. 10,000) over a 300 km square, so
//! local density grows with N; `*_const_density/N` keeps 1,000 tracks per 300 km square
//! (0.011 per km²) and grows the square with N (95 km .. 3,000 km): flat times there
//! show the cost follows local density, not the number of tracks. Queries are at track
//! positions plus up to 1 km of noise (reports come from where objects are). The mean
//! number of candidates and of cell lookups per query is printed to stderr for each
//! case.
//! `grid_rebuild/N` is the once-a-second clear and re-insert of N tracks.
//!
//! `CARGO_TARGET_DIR=... cargo bench -p skywatch-bench --bench gating`

use criterion::{BenchmarkId, Criterion, black_box, criterion_group, criterion_main};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use skywatch_geo::{Geodetic, Vector3};
use skywatch_track::GatingConfig;
use skywatch_track::index::Grid;
use skywatch_track::prepare::Origin;

/// Distinct queries cycled through by each bench.
const QUERIES: usize = 1024;

/// Unit direction (ENU) of an azimuth and elevation, radians.
fn dir(az: f64, el: f64) -> Vector3<f64> {
    let (se, ce) = el.sin_cos();
    let (sa, ca) = az.sin_cos();
    Vector3::new(ce * sa, ce * ca, se)
}

/// A query: the cubes (centre ECEF, half-edge metres) one report searches.
type Query = Vec<(Vector3<f64>, f64)>;

/// `n` tracks uniformly over a square of `side_km` centred on Korea, 50 .. 3000 m up.
fn tracks(rng: &mut ChaCha8Rng, n: usize, side_km: f64) -> Vec<Geodetic> {
    let (lat0, lon0) = (37.0f64, 127.5f64);
    let dlat = side_km / 2.0 / 111.32;
    let dlon = dlat / lat0.to_radians().cos();
    (0..n)
        .map(|_| {
            Geodetic::new(
                lat0 + rng.gen_range(-dlat..dlat),
                lon0 + rng.gen_range(-dlon..dlon),
                rng.gen_range(50.0..3000.0),
            )
        })
        .collect()
}

fn radar_query(_g: &GatingConfig, drift: f64, target: &Geodetic, rng: &mut ChaCha8Rng) -> Query {
    // A plot of a 30 km radar, sd_az 0.2 deg: the engine searches around the plot.
    let (range, sd_az) = (30_000.0, 0.2f64.to_radians());
    let extent = range * sd_az * 4.0;
    let o = Origin::new(target);
    let noise = Vector3::new(
        rng.gen_range(-1000.0..1000.0),
        rng.gen_range(-1000.0..1000.0),
        rng.gen_range(-200.0..200.0),
    );
    vec![(o.point(&noise), drift + extent)]
}

fn bearing_query(g: &GatingConfig, drift: f64, target: &Geodetic, rng: &mut ChaCha8Rng) -> Query {
    // A node on the ground 1 .. 5 km from the target, bearing towards it with a few
    // degrees of error, no elevation.
    let az_from_target: f64 = rng.gen_range(0.0..360.0);
    let n = target.destination(az_from_target, rng.gen_range(1000.0..5000.0));
    let node = Origin::new(&Geodetic::new(n.lat_deg, n.lon_deg, 30.0));
    let az = (az_from_target + 180.0 + rng.gen_range(-3.0..3.0)).to_radians();
    let cell = g.cell_m;
    let reach = g.bearing_range_m;
    let steps = (reach / cell).ceil().clamp(1.0, 64.0) as usize;
    (0..=steps)
        .map(|i| {
            let r = reach * i as f64 / steps as f64;
            (
                node.point(&dir(az, 0.0).scale(r)),
                drift + 0.5 * cell + 3000.0,
            )
        })
        .collect()
}

struct Case {
    grid: Grid,
    queries: Vec<Query>,
    n: usize,
}

type MakeQuery = fn(&GatingConfig, f64, &Geodetic, &mut ChaCha8Rng) -> Query;

fn case(n: usize, side_km: f64, make: MakeQuery) -> Case {
    let g = GatingConfig::default();
    let drift = g.margin_m + g.max_speed_mps * 0.5;
    let mut rng = ChaCha8Rng::seed_from_u64(n as u64 ^ side_km.to_bits());
    let pts = tracks(&mut rng, n, side_km);
    let mut grid = Grid::new(g.cell_m);
    for (i, p) in pts.iter().enumerate() {
        grid.insert(&p.to_ecef(), i as u32);
    }
    let queries = (0..QUERIES)
        .map(|_| {
            let t = &pts[rng.gen_range(0..n)];
            make(&g, drift, t, &mut rng)
        })
        .collect();
    Case { grid, queries, n }
}

/// Runs one query as the engine's visitor does; returns the number of candidates.
fn run(grid: &Grid, q: &Query, stamps: &mut [u32], stamp: u32, cands: &mut Vec<u32>) -> usize {
    cands.clear();
    for (p, r) in q {
        grid.query(p, *r, |s| {
            let st = &mut stamps[s as usize];
            if *st != stamp {
                *st = stamp;
                cands.push(s);
            }
        });
    }
    cands.len()
}

/// Hash lookups a query makes: the cells its cubes span (as `Grid::query` walks them).
fn cells(q: &Query, cell_m: f64) -> usize {
    let span =
        |v: f64, r: f64| ((v + r) / cell_m).floor() as i64 - ((v - r) / cell_m).floor() as i64 + 1;
    q.iter()
        .map(|(p, r)| (span(p.x, *r) * span(p.y, *r) * span(p.z, *r)) as usize)
        .sum()
}

#[allow(clippy::print_stderr)]
fn report(name: &str, c: &Case, side_km: f64) {
    let mut stamps = vec![0u32; c.n];
    let mut cands = Vec::new();
    let mut total = 0usize;
    for (i, q) in c.queries.iter().enumerate() {
        total += run(&c.grid, q, &mut stamps, i as u32 + 1, &mut cands);
    }
    let cell_m = GatingConfig::default().cell_m;
    let lookups: usize = c.queries.iter().map(|q| cells(q, cell_m)).sum();
    let nq = c.queries.len() as f64;
    eprintln!(
        "{name}/{}: {side_km:.0} km square, {:.2} candidates and {:.0} cell lookups per query",
        c.n,
        total as f64 / nq,
        lookups as f64 / nq
    );
}

fn bench(c: &mut Criterion) {
    let kinds: [(&str, MakeQuery); 2] = [("radar3d", radar_query), ("bearing", bearing_query)];
    for (kind, make) in kinds {
        for (series, sizes) in [
            ("region300km", [10usize, 100, 1000, 10_000]),
            ("const_density", [100, 1000, 10_000, 100_000]),
        ] {
            let name = format!("gating_query/{kind}_{series}");
            let mut group = c.benchmark_group(&name);
            for n in sizes {
                let side_km = match series {
                    "region300km" => 300.0,
                    _ => 300.0 * (n as f64 / 1000.0).sqrt(),
                };
                let cs = case(n, side_km, make);
                report(&name, &cs, side_km);
                let mut stamps = vec![0u32; n];
                let mut cands = Vec::with_capacity(256);
                let mut k = 0usize;
                group.bench_function(BenchmarkId::from_parameter(n), |b| {
                    b.iter(|| {
                        k += 1;
                        let q = &cs.queries[k % QUERIES];
                        run(&cs.grid, black_box(q), &mut stamps, k as u32, &mut cands)
                    })
                });
            }
            group.finish();
        }
    }

    let mut group = c.benchmark_group("grid_rebuild");
    for n in [1000usize, 10_000] {
        let mut rng = ChaCha8Rng::seed_from_u64(n as u64);
        let pts: Vec<Vector3<f64>> = tracks(&mut rng, n, 300.0)
            .iter()
            .map(|p| p.to_ecef())
            .collect();
        let mut grid = Grid::new(GatingConfig::default().cell_m);
        group.bench_with_input(BenchmarkId::from_parameter(n), &pts, |b, pts| {
            b.iter(|| {
                grid.clear();
                for (i, p) in pts.iter().enumerate() {
                    grid.insert(p, i as u32);
                }
                grid.len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
