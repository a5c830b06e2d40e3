//! JPDA as the association method: crossing targets, dense clutter around a target,
//! the PDA update against its closed form, determinism.

use nalgebra::{SVector, Vector3};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use skywatch_geo::{Aer, Geodetic};
use skywatch_model::{Report, TrackEstimate};
use skywatch_track::imm::{Imm, ImmConfig, ImmState, Pda};
use skywatch_track::measure::{Linear, MeasurementModel, POS_IDX, innovate_ekf};
use skywatch_track::motion::{Cov, Ncv, State};
use skywatch_track::{AssociationMethod, Engine, EngineConfig};

mod common;
use common::*;

fn radar_pos() -> Geodetic {
    frame().enu_to_geodetic(&nalgebra::Vector3::new(0.0, 0.0, 100.0))
}

fn jpda_config() -> EngineConfig {
    let mut cfg = EngineConfig::default();
    cfg.association.method = AssociationMethod::Jpda;
    cfg
}

/// Two drones crossing at right angles, 50 m apart in altitude, one radar; returns the
/// confirmed tracks after each scan (from scan 12 on) and the engine's track count.
fn crossing(cfg: EngineConfig) -> Vec<(f64, Vec<TrackEstimate>)> {
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let a = Line {
        p0: [1000.0, 8000.0, 1000.0],
        v: [50.0, 0.0, 0.0],
    };
    let b = Line {
        p0: [6000.0, 3000.0, 1050.0],
        v: [0.0, 50.0, 0.0],
    };
    let mut eng = Engine::new(cfg);
    let mut out = Vec::new();
    for k in 0..100 {
        let t = k as f64 * 2.0;
        for (i, line) in [a, b].iter().enumerate() {
            let tt = t + 0.01 * i as f64;
            eng.ingest(&radar_report(
                &mut rng,
                radar_pos(),
                line.geo(tt),
                tt,
                tt + 0.2,
            ))
            .expect("valid");
        }
        let tracks = eng.tracks_at(t + 1.0);
        if k >= 12 {
            out.push((t + 1.0, tracks));
        }
    }
    out
}

#[test]
fn jpda_crossing_targets_keep_ids_and_bounded_error() {
    let a = Line {
        p0: [1000.0, 8000.0, 1000.0],
        v: [50.0, 0.0, 0.0],
    };
    let b = Line {
        p0: [6000.0, 3000.0, 1050.0],
        v: [0.0, 50.0, 0.0],
    };
    let mut ids: Option<(u64, u64)> = None;
    let mut worst: f64 = 0.0;
    for (t, tracks) in crossing(jpda_config()) {
        assert_eq!(tracks.len(), 2, "at {t}: {tracks:?}");
        let near = |line: &Line| {
            tracks
                .iter()
                .map(|e| (dist_h(e, &line.geo(t)), e.id))
                .min_by(|x, y| x.0.total_cmp(&y.0))
                .expect("two tracks")
        };
        let (da, ia) = near(&a);
        let (db, ib) = near(&b);
        assert_ne!(ia, ib, "both tracks on one target at {t}");
        worst = worst.max(da).max(db);
        match ids {
            None => ids = Some((ia, ib)),
            Some(before) => assert_eq!(before, (ia, ib), "ids swapped at {t}"),
        }
    }
    // Radar noise at ~8 km: 20 m in range, 0.3° (~40 m) across. Through the crossing
    // the JPDA mixes the two plots a little; the error stays well bounded.
    assert!(worst < 150.0, "worst error {worst:.0} m");
}

fn plot(radar: Geodetic, aer: Aer, t: f64) -> Report {
    plot_report(radar, aer, t, t + 0.1)
}

#[test]
fn jpda_keeps_a_target_in_dense_clutter_around_it() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let target = Line {
        p0: [4000.0, -6000.0, 1000.0],
        v: [-20.0, 45.0, 0.0],
    };
    let mut cfg = jpda_config();
    // The clutter here is far denser than the defaults assume: tell the filter so.
    cfg.association.jpda.clutter_per_km2 = 2.0;
    let mut eng = Engine::new(cfg);
    let mut id = None;
    let mut worst: f64 = 0.0;
    for k in 0..80 {
        let t = k as f64 * 2.0;
        let truth = target.geo(t);
        // Clean scans for a start, then every scan carries 6 false plots within
        // ±300 m in range and ±2° in azimuth of the target, several inside its gate.
        let mut reports = vec![radar_report(&mut rng, radar_pos(), truth, t, t + 0.2)];
        if k >= 8 {
            let aer = skywatch_geo::aer_between(&radar_pos(), &truth);
            for i in 0..6 {
                let fake = Aer {
                    range_m: aer.range_m + rng.gen_range(-300.0..300.0),
                    az_deg: skywatch_geo::normalize_deg(aer.az_deg + rng.gen_range(-2.0..2.0)),
                    el_deg: aer.el_deg + rng.gen_range(-1.0..1.0),
                };
                reports.push(plot(radar_pos(), fake, t + 0.001 * (i + 1) as f64));
            }
        }
        for r in &reports {
            eng.ingest(r).expect("valid");
        }
        let tracks = eng.tracks_at(t + 1.0);
        if k < 8 {
            continue;
        }
        let truth = target.geo(t + 1.0);
        let Some(tr) = tracks
            .iter()
            .min_by(|x, y| dist_h(x, &truth).total_cmp(&dist_h(y, &truth)))
        else {
            panic!("target lost at {t}");
        };
        let d = dist_h(tr, &truth);
        worst = worst.max(d);
        assert!(d < 250.0, "track {} {d:.0} m off at {t}", tr.id);
        match id {
            None => id = Some(tr.id),
            Some(i) => assert_eq!(i, tr.id, "target's track changed at {t}"),
        }
    }
    assert!(worst > 0.0);
}

#[test]
fn pda_update_matches_the_closed_form() {
    // One track, two position fixes with probabilities β₁, β₂ (β₀ = 1 − β₁ − β₂), both
    // modes equal: the textbook PDA update (Bar-Shalom & Li, eq. 6.6.x).
    let imm = Imm::new(ImmConfig::default());
    let mut p = Cov::identity() * 100.0;
    p[(2, 2)] = 25.0;
    p[(3, 3)] = 25.0;
    p[(2, 0)] = 10.0;
    p[(0, 2)] = 10.0;
    let x = State::from_column_slice(&[100.0, -50.0, 10.0, 5.0, 0.0, 900.0, 0.0]);
    let mut st = ImmState::new(0.0, x, p, 0.5);
    let sd = Vector3::new(8.0, 8.0, 12.0);
    let zs = [
        Vector3::new(105.0, -45.0, 905.0),
        Vector3::new(90.0, -60.0, 895.0),
    ];
    let betas = [0.6, 0.3];
    let beta0 = 1.0 - betas[0] - betas[1];
    let mut acc = Pda::default();
    let mut ys = Vec::new();
    let mut inn0 = None;
    for (z, b) in zs.iter().zip(betas) {
        let model = Linear::<3> {
            idx: POS_IDX,
            z: *z,
            sd,
        };
        let inn = innovate_ekf::<3, Ncv>(&model, &x, &p, None).expect("innovation");
        ys.push(inn.y);
        inn0 = Some(inn);
        assert!(st.pda_add(&imm, &model, 0.0, b, inn.log_likelihood(), &mut acc));
    }
    assert!(st.pda_finish(beta0, &acc));
    let inn = inn0.expect("two reports");
    let k = inn.pxz * inn.s_inv;
    let ybar: SVector<f64, 3> = ys[0] * betas[0] + ys[1] * betas[1];
    let x_want = x + k * ybar;
    let pc = p - k * inn.s * k.transpose();
    let spread = ys[0] * ys[0].transpose() * betas[0] + ys[1] * ys[1].transpose() * betas[1]
        - ybar * ybar.transpose();
    let p_want = p * beta0 + pc * (1.0 - beta0) + k * spread * k.transpose();
    let (xg, pg) = st.combined();
    assert!((xg - x_want).norm() < 1e-9, "{xg} vs {x_want}");
    assert!(
        (pg - p_want).norm() < 1e-9 * p_want.norm(),
        "{pg} vs {p_want}"
    );
    // Equal modes: equal likelihoods, mode probabilities unchanged.
    assert!((st.mu[1] - 0.5).abs() < 1e-12);
    // A single report with probability 1 is the Kalman update.
    let model = Linear::<3> {
        idx: POS_IDX,
        z: zs[0],
        sd,
    };
    let mut a = ImmState::new(0.0, x, p, 0.5);
    let mut b = a;
    a.update(&imm, &model, 0.0).expect("update");
    let mut acc = Pda::default();
    let l = innovate_ekf::<3, Ncv>(&model, &x, &p, None)
        .expect("innovation")
        .log_likelihood();
    assert!(b.pda_add(&imm, &model, 0.0, 1.0, l, &mut acc));
    assert!(b.pda_finish(0.0, &acc));
    assert!((a.combined().0 - b.combined().0).norm() < 1e-9);
    assert!((a.combined().1 - b.combined().1).norm() < 1e-9);
    let _ = model.z();
}

#[test]
fn pda_finish_rejects_nothing_and_nan() {
    let mut st = ImmState::new(0.0, State::zeros(), Cov::identity(), 0.1);
    let before = st;
    assert!(!st.pda_finish(1.0, &Pda::default()));
    assert!(!st.pda_finish(f64::NAN, &Pda::default()));
    assert_eq!(st, before);
}

#[test]
fn jpda_is_deterministic() {
    let a = format!("{:?}", crossing(jpda_config()));
    let b = format!("{:?}", crossing(jpda_config()));
    assert_eq!(a, b);
}

#[test]
fn jpda_with_tiny_limits_falls_back_and_still_tracks() {
    // Every cluster above the limits: GNN fallback, then cheap JPDA fallback.
    for fb in [
        skywatch_track::JpdaFallback::Gnn,
        skywatch_track::JpdaFallback::Cheap,
    ] {
        let mut cfg = jpda_config();
        cfg.association.jpda.max_cluster_tracks = 0;
        cfg.association.jpda.fallback = fb;
        let runs = crossing(cfg);
        assert!(runs.iter().all(|(_, t)| t.len() == 2), "{fb:?}");
    }
}
