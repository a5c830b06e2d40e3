//! Perfect tracks: [`TrackSnapshot`]s built from ground truth, for
//! `skywatch replay --perfect-tracks`, so that warning figures can be split into what
//! tracking costs and what the policy costs.
//!
//! Position and velocity come from truth with a small covariance; the turn rate is the
//! truth heading change over the last few seconds (per-object history); `p_threat` is 1
//! for drones and decoys, 0 for aircraft and birds. The caller decides which objects
//! are observable at `t` (e.g. some labelled report at or before `t`), so that perfect
//! tracks know no more than a perfect tracker could.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;

use serde::Deserialize;
use skywatch_geo::angle_diff_rad;
use skywatch_model::{Class, TrackEstimate, TrackSnapshot, TruthClass, TruthSample};

/// Settings of the perfect tracks.
///
/// # Units
/// Metres, m/s, seconds, rad/s as named.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PerfectConfig {
    /// One sigma of position per axis, metres.
    pub pos_sd_m: f64,
    /// One sigma of velocity per axis, m/s.
    pub vel_sd_m_s: f64,
    /// Turn rate is the heading change over (at least) this window, seconds.
    pub turn_window_s: f64,
    /// One sigma of the turn rate, rad/s.
    pub sd_turn_rate: f64,
    /// Above this |turn rate| the object counts as manoeuvring, rad/s.
    pub manoeuvre_threshold: f64,
}

impl Default for PerfectConfig {
    fn default() -> Self {
        PerfectConfig {
            pos_sd_m: 10.0,
            vel_sd_m_s: 0.5,
            turn_window_s: 5.0,
            sd_turn_rate: 0.002,
            manoeuvre_threshold: 0.005,
        }
    }
}

/// Builds snapshots from truth; keeps per-object heading history and stable ids.
#[derive(Debug, Default)]
pub struct PerfectTracks {
    cfg: PerfectConfig,
    ids: BTreeMap<Arc<str>, u64>,
    history: HashMap<u64, VecDeque<(f64, f64)>>,
}

impl PerfectTracks {
    /// A new builder.
    pub fn new(cfg: PerfectConfig) -> PerfectTracks {
        PerfectTracks {
            cfg,
            ids: BTreeMap::new(),
            history: HashMap::new(),
        }
    }

    /// Track id of a truth object: 1, 2, ... in order of first appearance.
    pub fn id_of(&mut self, object: &Arc<str>) -> u64 {
        let next = self.ids.len() as u64 + 1;
        *self.ids.entry(object.clone()).or_insert(next)
    }

    /// Snapshots at time `t` of the `samples` (truth at `t`, one per object) for which
    /// `observable(object id)` holds. Samples with non-finite values are skipped.
    /// Call in increasing `t`; the heading history of every sample is updated, whether
    /// observable or not.
    pub fn snapshots(
        &mut self,
        t: f64,
        samples: &[TruthSample],
        mut observable: impl FnMut(&str) -> bool,
    ) -> Vec<TrackSnapshot> {
        let mut out = Vec::new();
        for s in samples {
            let finite = s.pos.lat_deg.is_finite()
                && s.pos.lon_deg.is_finite()
                && s.vel.vn.is_finite()
                && s.vel.ve.is_finite()
                && t.is_finite();
            if !finite {
                continue;
            }
            let id = self.id_of(&s.id);
            let speed = s.vel.horizontal_speed();
            let h = self.history.entry(id).or_default();
            if speed > 1.0 {
                h.push_back((t, s.vel.ve.atan2(s.vel.vn)));
            }
            // Keep one sample older than the window so the baseline spans it.
            while h.len() > 2
                && h.get(1)
                    .is_some_and(|(t1, _)| t - t1 >= self.cfg.turn_window_s)
            {
                h.pop_front();
            }
            let turn_rate = match (h.front(), h.back()) {
                (Some(&(t0, h0)), Some(&(t1, h1))) if t1 - t0 > 0.5 => {
                    angle_diff_rad(h1, h0) / (t1 - t0)
                }
                _ => 0.0,
            };
            if !observable(&s.id) {
                continue;
            }
            let (class, p_threat) = match s.class {
                TruthClass::Drone | TruthClass::Decoy => (Class::Drone, 1.0),
                TruthClass::Aircraft => (Class::Aircraft, 0.0),
                TruthClass::Bird => (Class::Bird, 0.0),
            };
            let pv = self.cfg.pos_sd_m.powi(2);
            let vv = self.cfg.vel_sd_m_s.powi(2);
            let manoeuvring = turn_rate.abs() > self.cfg.manoeuvre_threshold;
            out.push(TrackSnapshot {
                estimate: TrackEstimate {
                    t,
                    id,
                    pos: s.pos,
                    vel: s.vel,
                    class,
                    class_confidence: 1.0,
                    cov_h_m: Some(self.cfg.pos_sd_m),
                    icao: None,
                    callsign: None,
                },
                cov_h: [
                    [pv, 0.0, 0.0, 0.0],
                    [0.0, pv, 0.0, 0.0],
                    [0.0, 0.0, vv, 0.0],
                    [0.0, 0.0, 0.0, vv],
                ],
                turn_rate,
                sd_turn_rate: self.cfg.sd_turn_rate,
                p_manoeuvre: if manoeuvring { 0.9 } else { 0.1 },
                p_threat,
                last_update_t: t,
                // An object stops being fed when it stops being observable or ends;
                // truth has no coverage map, so its silence reads as an end.
                in_coverage: true,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use skywatch_model::{Geodetic, Velocity};

    fn sample(t: f64, id: &str, class: TruthClass, heading: f64) -> TruthSample {
        TruthSample {
            t,
            id: Arc::from(id),
            class,
            pos: Geodetic::new(37.5, 127.0, 100.0),
            vel: Velocity {
                vn: 50.0 * heading.cos(),
                ve: 50.0 * heading.sin(),
                vu: 0.0,
            },
        }
    }

    #[test]
    fn turn_rate_from_truth_and_classes() {
        let mut p = PerfectTracks::new(PerfectConfig::default());
        let mut last = Vec::new();
        for k in 0..10 {
            let t = k as f64;
            let v = vec![
                sample(t, "d1", TruthClass::Drone, 0.02 * t),
                sample(t, "b1", TruthClass::Bird, 1.0),
                sample(t, "hidden", TruthClass::Decoy, 0.0),
            ];
            last = p.snapshots(t, &v, |id| id != "hidden");
        }
        assert_eq!(last.len(), 2);
        let d = &last[0];
        assert_eq!(d.estimate.id, 1);
        assert!((d.turn_rate - 0.02).abs() < 1e-9, "{}", d.turn_rate);
        assert_eq!(d.p_threat, 1.0);
        assert_eq!(d.p_manoeuvre, 0.9);
        let b = &last[1];
        assert_eq!(
            (b.estimate.class, b.p_threat, b.turn_rate),
            (Class::Bird, 0.0, 0.0)
        );
    }
}
