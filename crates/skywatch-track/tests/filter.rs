//! Filter consistency (NEES over Monte-Carlo runs) and geometry properties.

use nalgebra::{SMatrix, Vector3};
use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use skywatch_geo::{Geodetic, LocalFrame, ecef_to_enu_rotation};
use skywatch_track::Track;
use skywatch_track::imm::{Imm, ImmConfig, ImmState};
use skywatch_track::measure::{
    Comp, FilterKind, MeasurementModel, Polar, SensorGeom, innovate_ekf, innovate_ukf,
};
use skywatch_track::motion::{Cov, E, MotionModel, N, Ncv, NcvConfig, State, U, VE, VN, VU, W};

mod common;
use common::gauss;

fn sample(rng: &mut ChaCha8Rng, mean: &State, cov: &Cov) -> State {
    // Cholesky of a PSD matrix with a tiny jitter for the pinned turn-rate row.
    let l = (cov + Cov::identity() * 1e-12).cholesky().expect("psd").l();
    let z = State::from_fn(|_, _| gauss(rng, 1.0));
    mean + l * z
}

/// Runs `runs` Monte-Carlo NCV trajectories observed by a 3D radar and returns the
/// time-average of the run-averaged NEES of the 6 kinematic components.
fn mc_nees(kind: FilterKind, runs: usize, seed: u64) -> (f64, f64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let model = Ncv(NcvConfig {
        sd_accel_h: 0.5,
        sd_accel_v: 0.2,
        sd_turn_rate: 1e-4,
    });
    let radar = Geodetic::new(37.5, 127.0, 100.0);
    let frame = LocalFrame::new(Geodetic::new(37.55, 127.05, 0.0));
    let geom = SensorGeom::new(
        &frame,
        &radar.to_ecef(),
        &ecef_to_enu_rotation(radar.lat_deg, radar.lon_deg),
    );
    let steps = 40;
    let dt = 2.0;
    let mut sum_by_step = vec![0.0; steps];
    let sd = Vector3::new(20.0, 0.3_f64.to_radians(), 0.3_f64.to_radians());
    for _ in 0..runs {
        let mut truth = State::from_column_slice(&[0.0, 0.0, 40.0, -25.0, 0.0, 1000.0, 0.0]);
        let mut p = Cov::from_diagonal(&State::from_column_slice(&[
            200.0f64.powi(2),
            200.0f64.powi(2),
            30.0f64.powi(2),
            30.0f64.powi(2),
            1e-8,
            200.0f64.powi(2),
            5.0f64.powi(2),
        ]));
        let mut x = sample(&mut rng, &truth, &p);
        x[W] = 0.0;
        for slot in sum_by_step.iter_mut() {
            // Truth and filter prediction.
            let (tn, _) = model.transition(&truth, dt);
            let q = model.noise(&tn, dt);
            truth = sample(&mut rng, &tn, &q);
            truth[W] = 0.0;
            let (xp, f) = model.transition(&x, dt);
            p = f * p * f.transpose() + model.noise(&xp, dt);
            x = xp;
            // Measurement of the truth.
            let z0 = Polar::<3> {
                geom,
                comps: [Comp::Range, Comp::Az, Comp::El],
                z: Vector3::zeros(),
                sd,
            };
            let h = z0.h(&truth);
            let z = Vector3::new(
                h[0] + gauss(&mut rng, sd[0]),
                h[1] + gauss(&mut rng, sd[1]),
                h[2] + gauss(&mut rng, sd[2]),
            );
            let m = Polar::<3> { z, ..z0 };
            let inn = match kind {
                FilterKind::Ekf => innovate_ekf::<3, Ncv>(&m, &x, &p, None),
                FilterKind::Ukf => innovate_ukf::<3, Ncv>(&m, &x, &p, None),
            }
            .expect("innovation");
            inn.apply(&mut x, &mut p);
            let idx = [E, N, VE, VN, U, VU];
            let e = SMatrix::<f64, 6, 1>::from_fn(|i, _| x[idx[i]] - truth[idx[i]]);
            let ps = SMatrix::<f64, 6, 6>::from_fn(|i, j| p[(idx[i], idx[j])]);
            let nees = (e.transpose() * ps.try_inverse().expect("inv") * e)[(0, 0)];
            *slot += nees;
        }
    }
    let avg: Vec<f64> = sum_by_step.iter().map(|s| s / runs as f64).collect();
    // Two-sided 95% interval of chi2(6 * 50) / 50: [253.9, 349.9] / 50.
    let inside = avg[5..]
        .iter()
        .filter(|&&a| (5.08..=7.00).contains(&a))
        .count() as f64
        / (steps - 5) as f64;
    let mean = avg[5..].iter().sum::<f64>() / (steps - 5) as f64;
    (mean, inside)
}

#[test]
fn ekf_nees_is_consistent_over_monte_carlo_runs() {
    let (mean, inside) = mc_nees(FilterKind::Ekf, 50, 7);
    assert!((5.5..=6.5).contains(&mean), "time-averaged NEES {mean}");
    assert!(
        inside >= 0.85,
        "share of steps inside the 95% interval {inside}"
    );
}

#[test]
fn ukf_nees_is_consistent_over_monte_carlo_runs() {
    let (mean, inside) = mc_nees(FilterKind::Ukf, 50, 11);
    assert!((5.5..=6.5).contains(&mean), "time-averaged NEES {mean}");
    assert!(
        inside >= 0.85,
        "share of steps inside the 95% interval {inside}"
    );
}

#[test]
fn imm_follows_a_coordinated_turn_and_reports_it() {
    let imm = Imm::new(ImmConfig::default());
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let radar = Geodetic::new(37.5, 127.0, 100.0);
    let frame = LocalFrame::new(Geodetic::new(37.5, 127.0, 0.0));
    let geom = SensorGeom::new(
        &frame,
        &radar.to_ecef(),
        &ecef_to_enu_rotation(radar.lat_deg, radar.lon_deg),
    );
    let sd = Vector3::new(20.0, 0.3_f64.to_radians(), 0.3_f64.to_radians());
    let ct = skywatch_track::motion::CoordinatedTurn(Default::default());
    let w = 3.0_f64.to_radians();
    let mut truth = State::from_column_slice(&[8000.0, 0.0, 0.0, 50.0, w, 1000.0, 0.0]);
    let mut x0 = truth;
    x0[W] = 0.0;
    let p0 = Cov::from_diagonal(&State::from_column_slice(&[
        100.0, 100.0, 25.0, 25.0, 1e-4, 100.0, 1.0,
    ]));
    let mut s = ImmState::new(0.0, x0, p0, 0.1);
    for k in 1..=30 {
        let t = k as f64 * 2.0;
        truth = ct.transition(&truth, 2.0).0;
        let z0 = Polar::<3> {
            geom,
            comps: [Comp::Range, Comp::Az, Comp::El],
            z: Vector3::zeros(),
            sd,
        };
        let h = z0.h(&truth);
        let z = Vector3::new(
            h[0] + gauss(&mut rng, sd[0]),
            h[1] + gauss(&mut rng, sd[1]),
            h[2] + gauss(&mut rng, sd[2]),
        );
        s.update(&imm, &Polar::<3> { z, ..z0 }, t).expect("update");
    }
    let (x, _) = s.combined();
    assert!(s.mu[1] > 0.3, "manoeuvre probability {}", s.mu[1]);
    let w_ct = s.x[1][W];
    assert!(
        (w_ct - w).abs() < 0.02,
        "turn rate of the CT mode {w_ct} vs {w}"
    );
    assert!((x[E] - truth[E]).hypot(x[N] - truth[N]) < 100.0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// h(x) of a radar, inverted through the radar's own frame, gives back the state's
    /// position, with the sensor and the track frame anywhere (poles included).
    #[test]
    fn radar_measurement_inverts(lat in -89.99f64..89.99, lon in -180.0f64..180.0,
                                 de in -30000.0f64..30000.0, dn in -30000.0f64..30000.0,
                                 alt in 0.0f64..12000.0, off_e in -4000.0f64..4000.0, off_n in -4000.0f64..4000.0) {
        let radar = Geodetic::new(lat, lon, 50.0);
        let rframe = LocalFrame::new(radar);
        let anchor = rframe.enu_to_geodetic(&Vector3::new(de + off_e, dn + off_n, 0.0));
        let tframe = LocalFrame::new(Geodetic::new(anchor.lat_deg, anchor.lon_deg, 0.0));
        let geom = SensorGeom::new(&tframe, &radar.to_ecef(), rframe.rotation());
        let x = State::from_column_slice(&[-off_e, -off_n, 0.0, 0.0, 0.0, alt, 0.0]);
        let m = Polar::<3> { geom, comps: [Comp::Range, Comp::Az, Comp::El], z: Vector3::zeros(), sd: Vector3::repeat(1.0) };
        let z = m.h(&x);
        let aer = skywatch_geo::Aer { az_deg: z[1].to_degrees(), el_deg: z[2].to_degrees(), range_m: z[0] };
        let back = rframe.ecef_of_aer(&aer);
        let want = tframe.enu_to_ecef(&Vector3::new(x[E], x[N], x[U]));
        prop_assert!((back - want).norm() < 1e-3, "{}", (back - want).norm());
    }

    /// Azimuth residuals wrap: bearings either side of north are close.
    #[test]
    fn bearing_residual_wraps_at_north(a in 0.0f64..2.0, b in 358.0f64..360.0) {
        let m = Polar::<1> {
            geom: SensorGeom { pos: Vector3::zeros(), rot: nalgebra::Matrix3::identity() },
            comps: [Comp::Az], z: nalgebra::Vector1::new(a.to_radians()), sd: nalgebra::Vector1::new(0.01) };
        let r = m.residual(&nalgebra::Vector1::new(a.to_radians()), &nalgebra::Vector1::new(b.to_radians()));
        let want = (a + 360.0 - b).to_radians();
        prop_assert!((r[0] - want).abs() < 1e-9);
    }

    /// Re-anchoring a track changes its frame, not where it is or where it goes.
    #[test]
    fn reanchoring_preserves_the_state(lat in -89.9f64..89.9, lon in -180.0f64..180.0,
                                       e in -20000.0f64..20000.0, n in -20000.0f64..20000.0,
                                       ve in -60.0f64..60.0, vn in -60.0f64..60.0) {
        let f0 = LocalFrame::new(Geodetic::new(lat, lon, 0.0));
        let x = State::from_column_slice(&[e, n, ve, vn, 0.01, 1500.0, 1.0]);
        let p = Cov::from_diagonal(&State::from_column_slice(&[400.0, 900.0, 4.0, 9.0, 1e-4, 2500.0, 1.0]));
        let mut tr = Track::new(1, f0, ImmState::new(0.0, x, p, 0.2));
        let before = tr.ecef_of(&x);
        let vel_before = f0.enu_vec_to_ecef(&Vector3::new(ve, vn, 1.0));
        let pos_cov_before = {
            let r = f0.rotation().transpose();
            let pp = nalgebra::Matrix3::new(p[(E,E)], p[(E,N)], p[(E,U)], p[(N,E)], p[(N,N)], p[(N,U)], p[(U,E)], p[(U,N)], p[(U,U)]);
            r * pp * r.transpose()
        };
        tr.reanchor(1000.0);
        let (y, q) = tr.state.combined();
        let after = tr.ecef_of(&y);
        prop_assert!((after - before).norm() < 1e-4);
        let vel_after = tr.frame.enu_vec_to_ecef(&Vector3::new(y[VE], y[VN], y[VU]));
        prop_assert!((vel_after - vel_before).norm() < 1e-9);
        let r = tr.frame.rotation().transpose();
        let qq = nalgebra::Matrix3::new(q[(E,E)], q[(E,N)], q[(E,U)], q[(N,E)], q[(N,N)], q[(N,U)], q[(U,E)], q[(U,N)], q[(U,U)]);
        prop_assert!(((r * qq * r.transpose()) - pos_cov_before).norm() < 1e-6);
        if e.hypot(n) > 1000.0 {
            prop_assert!(y[E].hypot(y[N]) < 1.0, "re-anchored at the track");
        }
    }
}
