//! The measurement kernels of the tracker, one track and one measurement at a time:
//!
//! - `update/<filter>/<kind>`: the IMM update (both modes, EKF or UKF) of a track
//!   already predicted to the measurement time, as `Engine` does for each associated
//!   report; `*_oos` applies a measurement 0.5 s older than the track (retrodiction).
//! - `gate/<filter>/<kind>`: the Mahalanobis gate test of one measurement against one
//!   track's predicted measurement (the combined estimate moved 0.5 s forward), as
//!   `Engine` does for every (report, candidate track) pair.
//!
//! Both include what the engine does per pair before the filter: the sensor geometry in
//! the track's frame (`SensorGeom::new`) and, for ADS-B, the velocity rotation. Kinds:
//! radar 3D (range, azimuth, elevation), radar 2D (range, azimuth), a bearing from a
//! fixed acoustic node with and without elevation, a position fix, ADS-B with velocity.
//!
//! `CARGO_TARGET_DIR=... cargo bench -p skywatch-bench --bench update`

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use nalgebra::{SVector, Vector3};
use skywatch_geo::{Geodetic, LocalFrame, ecef_to_enu_rotation};
use skywatch_track::FilterKind;
use skywatch_track::imm::{Imm, ImmConfig, ImmState};
use skywatch_track::measure::{
    Comp, Linear, MeasurementModel, POS_IDX, POS_VEL_IDX, Polar, SensorGeom,
};
use skywatch_track::motion::{Cov, State};
use skywatch_track::prepare::Origin;

/// Chi-square 0.999 quantiles by measurement dimension (the engine's default gate).
const GATE: [f64; 7] = [0.0, 10.83, 13.82, 16.27, 18.47, 20.52, 22.46];

/// Time of the track state the benches start from, seconds.
const T0: f64 = 100.0;

/// A settled track (a few scans old) 1 km above the frame origin, moving at 50 m/s.
fn track(imm: &Imm) -> ImmState {
    let x = State::from_column_slice(&[1000.0, 2000.0, 45.0, -20.0, 0.01, 1000.0, 0.0]);
    let p = Cov::from_diagonal(&State::from_column_slice(&[
        900.0, 900.0, 25.0, 25.0, 1e-4, 400.0, 4.0,
    ]));
    let mut s = ImmState::new(T0 - 1.0, x, p, 0.2);
    s.predict(imm, T0);
    s
}

/// A measurement of the track's position as `make` builds it, offset by about one
/// sigma per component so the update does real work.
fn with_offset<const M: usize>(mut z: SVector<f64, M>, sd: &SVector<f64, M>) -> SVector<f64, M> {
    for i in 0..M {
        z[i] += sd[i] * if i % 2 == 0 { 0.8 } else { -0.6 };
    }
    z
}

/// What a report carries, in the shape the engine's prepared reports have.
struct Scene {
    frame: LocalFrame,
    radar: Origin,
    node: Origin,
    fix_ecef: Vector3<f64>,
    adsb_pos: Geodetic,
    adsb_ecef: Vector3<f64>,
    adsb_vel: Vector3<f64>,
}

fn scene(x: &State) -> Scene {
    let frame = LocalFrame::new(Geodetic::new(37.9, 127.0, 0.0));
    let target_ecef = frame.enu_to_ecef(&Vector3::new(x[0], x[1], x[5]));
    let target = skywatch_geo::ecef_to_geodetic(&target_ecef);
    // A radar 25 km south-west, an acoustic node 1.5 km east of the target.
    let at = |az: f64, dist_m: f64, alt_m: f64| {
        let g = target.destination(az, dist_m);
        Origin::new(&Geodetic::new(g.lat_deg, g.lon_deg, alt_m))
    };
    let radar = at(225.0, 25_000.0, 150.0);
    let node = at(90.0, 1_500.0, 40.0);
    Scene {
        frame,
        radar,
        node,
        fix_ecef: frame.enu_to_ecef(&Vector3::new(x[0] + 20.0, x[1] - 15.0, x[5] + 30.0)),
        adsb_pos: target,
        adsb_ecef: target_ecef,
        adsb_vel: Vector3::new(x[2], x[3], x[6]),
    }
}

/// Builds a polar model and sets its measurement to the state's, offset.
fn polar<const M: usize>(
    frame: &LocalFrame,
    o: &Origin,
    comps: [Comp; M],
    sd: SVector<f64, M>,
    x: &State,
) -> Polar<M> {
    let mut m = Polar {
        geom: SensorGeom::new(frame, &o.ecef, &o.rot),
        comps,
        z: SVector::zeros(),
        sd,
    };
    m.z = with_offset(m.h(x), &sd);
    m
}

/// Benches `update` and `gate` for one measurement kind. `make` builds the model in the
/// track's frame from the report (the engine's per-pair work); it is timed too.
fn kind<const M: usize, MM: MeasurementModel<M>>(
    c: &mut Criterion,
    name: &str,
    imm: &Imm,
    start: &ImmState,
    frame: &LocalFrame,
    make: impl Fn(&LocalFrame) -> MM,
) {
    let filter = match imm.cfg.filter {
        FilterKind::Ekf => "ekf",
        FilterKind::Ukf => "ukf",
    };
    // Sanity: the measurement gates and updates (a bench of a failing path is useless).
    {
        let model = make(frame);
        let g = start.gate(imm, &model, T0 + 0.5).expect("gate");
        assert!(g.d2 <= GATE[M], "{name}: d2 {} outside the gate", g.d2);
        let mut s = *start;
        assert!(s.update(imm, &model, T0).is_some(), "{name}: update failed");
        let mut s = *start;
        assert!(
            s.update(imm, &model, T0 - 0.5).is_some(),
            "{name}: oos failed"
        );
    }
    c.bench_function(&format!("update/{filter}/{name}"), |b| {
        b.iter(|| {
            let model = make(black_box(frame));
            let mut s = *start;
            let l = s.update(imm, &model, black_box(T0));
            (s, l)
        })
    });
    if name == "radar3d" || name == "bearing_az" {
        c.bench_function(&format!("update/{filter}/{name}_oos"), |b| {
            b.iter(|| {
                let model = make(black_box(frame));
                let mut s = *start;
                let l = s.update(imm, &model, black_box(T0 - 0.5));
                (s, l)
            })
        });
    }
    c.bench_function(&format!("gate/{filter}/{name}"), |b| {
        b.iter(|| {
            let model = make(black_box(frame));
            start
                .gate(imm, &model, black_box(T0 + 0.5))
                .map(|i| (i.d2 <= GATE[M], i.d2 + i.ln_det_s))
        })
    });
}

fn bench(c: &mut Criterion) {
    let sensors = skywatch_track::SensorNoiseConfig::default();
    for filter in [FilterKind::Ekf, FilterKind::Ukf] {
        let imm = Imm::new(ImmConfig {
            filter,
            ..ImmConfig::default()
        });
        let start = track(&imm);
        let (x, _) = start.combined();
        let sc = scene(&x);
        let (sd_r, sd_az, sd_el) = (50.0, 0.2f64.to_radians(), 0.3f64.to_radians());
        let (sd_baz, sd_bel) = (3.0f64.to_radians(), 5.0f64.to_radians());
        kind(c, "radar3d", &imm, &start, &sc.frame, |f| {
            polar(
                f,
                &sc.radar,
                [Comp::Range, Comp::Az, Comp::El],
                Vector3::new(sd_r, sd_az, sd_el),
                &x,
            )
        });
        kind(c, "radar2d", &imm, &start, &sc.frame, |f| {
            polar(
                f,
                &sc.radar,
                [Comp::Range, Comp::Az],
                SVector::<f64, 2>::new(sd_r, sd_az),
                &x,
            )
        });
        kind(c, "bearing_az", &imm, &start, &sc.frame, |f| {
            polar(f, &sc.node, [Comp::Az], SVector::<f64, 1>::new(sd_baz), &x)
        });
        kind(c, "bearing_az_el", &imm, &start, &sc.frame, |f| {
            polar(
                f,
                &sc.node,
                [Comp::Az, Comp::El],
                SVector::<f64, 2>::new(sd_baz, sd_bel),
                &x,
            )
        });
        kind(c, "position_fix", &imm, &start, &sc.frame, |f| {
            let sd = Vector3::new(30.0, 30.0, 50.0);
            Linear::<3> {
                idx: POS_IDX,
                z: f.ecef_to_enu(&sc.fix_ecef),
                sd,
            }
        });
        kind(c, "adsb", &imm, &start, &sc.frame, |f| {
            let p = f.ecef_to_enu(&sc.adsb_ecef);
            let vt = f.rotation()
                * ecef_to_enu_rotation(sc.adsb_pos.lat_deg, sc.adsb_pos.lon_deg).transpose()
                * sc.adsb_vel;
            let (h, v, sv) = (
                sensors.adsb_sd_h_m,
                sensors.adsb_sd_v_m,
                sensors.adsb_sd_vel,
            );
            let sd = SVector::<f64, 6>::from_column_slice(&[h, h, v, sv, sv, sv]);
            let z = SVector::<f64, 6>::from_column_slice(&[p.x, p.y, p.z, vt.x, vt.y, vt.z]);
            Linear::<6> {
                idx: POS_VEL_IDX,
                z: with_offset(z, &sd),
                sd,
            }
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
