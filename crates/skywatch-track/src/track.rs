//! One track: its frame, IMM state, life-cycle status, identity and class evidence.

use std::collections::VecDeque;
use std::sync::Arc;

use nalgebra::{Matrix3, SMatrix, Vector3};
use skywatch_geo::{LocalFrame, ecef_to_enu_rotation, flat_distance_m};
use skywatch_model::{Class, Geodetic, TrackEstimate, TrackSnapshot, Velocity};

use crate::config::ClassifyConfig;
use crate::imm::{Imm, ImmState};
use crate::motion::{Cov, E, N, State, U, VE, VN, VU, W};

/// Life-cycle status (Stone Soup's initiator / deleter states).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Not yet confirmed: never shown.
    Tentative,
    /// Confirmed and recently updated.
    Confirmed,
    /// Confirmed but without recent updates: shown, predicted.
    Coasting,
}

/// Number of recent (sensor, time) pairs remembered to drop duplicate reports.
const RECENT: usize = 8;

/// A track. Memory is fixed: no history is kept.
#[derive(Debug, Clone)]
pub struct Track {
    pub id: u64,
    pub status: Status,
    /// Local tangent frame the state lives in; re-anchored as the track moves.
    pub frame: LocalFrame,
    pub state: ImmState,
    pub created_t: f64,
    pub last_update_t: f64,
    /// Confirmation score (see `InitiationConfig::confirm_score`).
    pub score: f64,
    pub hits: u32,
    /// Cooperative identity.
    pub icao: Option<u32>,
    pub callsign: Option<Arc<str>>,
    /// Class hints received, by `Class` index (capped).
    pub hints: [u8; 4],
    /// Kinds of measurement that updated the track (engine-defined bits).
    pub support: u8,
    /// Seconds spent within earshot of working acoustic nodes, less the credit of the
    /// fixed acoustic bearings associated since (see [`crate::listen`]).
    pub quiet_s: f64,
    /// Seconds spent, never matched to an ADS-B message, where a working receiver would
    /// have heard a cooperative aircraft ([`crate::squitter`]).
    pub adsb_quiet_s: f64,
    /// Seconds cooperative aircraft have flown where this track now flies, on its
    /// heading ([`crate::lanes`]), as of the last once-a-second maintenance.
    pub lane_s: f64,
    /// Sensor and time of the last hit that counted towards confirmation.
    pub last_hit_sensor: u64,
    pub last_hit_t: f64,
    /// Time of the newest plot, fix or ADS-B hit (measurements that locate the object,
    /// as opposed to bearings, which only point at it).
    pub last_fix_t: f64,
    /// Moving average of the gaps between fixes, seconds (NaN before the second fix).
    pub fix_gap_s: f64,
    /// Smallest value `fix_gap_s` has had: the best sustained revisit of the sensors
    /// that locate the track, seconds (infinite before the second fix).
    pub best_fix_gap_s: f64,
    /// Position (ECEF) of the radar that last plotted the track.
    pub last_radar_ecef: Option<Vector3<f64>>,
    /// Sensor key and time of the newest radar plot (0 and -inf before the first).
    pub last_radar_sensor: u64,
    pub last_radar_t: f64,
    /// Located by phone reports alone so far ([`crate::reporters`]): it lives on their
    /// rhythm (about one a minute), and no fixed sensor watches it.
    pub reporters_only: bool,
    /// Log-likelihood ratio "target against false plots" of a tentative track started
    /// from a radar plot, summed over the plots that updated it ([`crate::clutter`]),
    /// and whether the confirmation test applies to it: every hit so far a radar plot
    /// where the clutter map knew the density (any other hit is independent evidence,
    /// and an unknown density leaves the decision to the score).
    pub llr: f64,
    pub llr_applies: bool,
    /// Time of the newest ADS-B message (cooperative tracks).
    pub last_adsb_t: f64,
    /// Largest declared reach of the nodes whose bearings updated the track, metres
    /// (0 if none declared one): how far around it to look for listeners before taking
    /// its silence as news (see [`crate::hearing`]).
    pub reach_m: f64,
    /// Moving average of the gaps between updates, seconds (NaN before the second).
    pub update_gap_s: f64,
    /// Where the track has been: its estimate `(t, lat, lon)` about every
    /// `transit_sample_s`, over the last `transit_window_s` ([`Track::straightness`]).
    path: VecDeque<(f64, f64, f64)>,
    /// Recent report keys, to reject duplicates.
    recent: [(u64, f64); RECENT],
    recent_next: usize,
    /// Query stamp, to visit a track once per spatial query.
    pub stamp: u64,
    /// Position (ECEF) at the time of the last index rebuild.
    pub indexed_ecef: Vector3<f64>,
}

/// Index of a class in `Track::hints`.
pub fn class_index(c: Class) -> usize {
    match c {
        Class::Drone => 0,
        Class::Aircraft => 1,
        Class::Bird => 2,
        Class::Unknown => 3,
    }
}

impl Track {
    /// A new tentative track in a frame anchored below `origin`.
    pub fn new(id: u64, frame: LocalFrame, state: ImmState) -> Self {
        Track {
            id,
            status: Status::Tentative,
            frame,
            state,
            created_t: state.t,
            last_update_t: state.t,
            score: 0.0,
            hits: 0,
            icao: None,
            callsign: None,
            hints: [0; 4],
            support: 0,
            quiet_s: 0.0,
            adsb_quiet_s: 0.0,
            lane_s: 0.0,
            last_hit_sensor: 0,
            last_hit_t: f64::NEG_INFINITY,
            last_fix_t: f64::NEG_INFINITY,
            fix_gap_s: f64::NAN,
            best_fix_gap_s: f64::INFINITY,
            last_radar_ecef: None,
            last_radar_sensor: 0,
            last_radar_t: f64::NEG_INFINITY,
            reporters_only: false,
            llr: 0.0,
            llr_applies: false,
            last_adsb_t: f64::NEG_INFINITY,
            reach_m: 0.0,
            update_gap_s: f64::NAN,
            path: VecDeque::new(),
            recent: [(0, f64::NAN); RECENT],
            recent_next: 0,
            stamp: 0,
            indexed_ecef: Vector3::zeros(),
        }
    }

    /// True if this (sensor, time) report was already used by the track; else remembers it.
    pub fn seen(&mut self, key: u64, t: f64) -> bool {
        if self.recent.iter().any(|&(k, tt)| k == key && tt == t) {
            return true;
        }
        self.recent[self.recent_next] = (key, t);
        self.recent_next = (self.recent_next + 1) % RECENT;
        false
    }

    /// True if this (sensor, time) report was already used by the track (no side effect).
    pub fn has_seen(&self, key: u64, t: f64) -> bool {
        self.recent.iter().any(|&(k, tt)| k == key && tt == t)
    }

    /// True for tracks an operator sees.
    pub fn is_shown(&self) -> bool {
        !matches!(self.status, Status::Tentative)
    }

    /// ECEF position of a state in this track's frame.
    pub fn ecef_of(&self, x: &State) -> Vector3<f64> {
        self.frame.enu_to_ecef(&Vector3::new(x[E], x[N], x[U]))
    }

    /// Position predicted to `t` (mean only, CV extrapolation of the combined state: used
    /// by the spatial index, where a few metres do not matter).
    pub fn ecef_at(&self, t: f64) -> Vector3<f64> {
        let (x, _) = self.state.combined();
        let dt = t - self.state.t;
        self.frame.enu_to_ecef(&Vector3::new(
            x[E] + x[VE] * dt,
            x[N] + x[VN] * dt,
            x[U] + x[VU] * dt,
        ))
    }

    /// Moves the frame's origin under the track when it has gone more than `limit_m`
    /// from it, rotating mean and covariance of both modes into the new frame.
    ///
    /// Why: the filter's models are flat (a tangent plane); 5 km from the origin the
    /// plane is 2 m above the ellipsoid and its axes are 0.045° off, negligible, but
    /// a drone crosses hundreds of kilometres. Rejected alternative: an ECEF state,
    /// where "horizontal" motion models and altitude channels become awkward.
    pub fn reanchor(&mut self, limit_m: f64) {
        let (x, _) = self.state.combined();
        if x[E].hypot(x[N]) <= limit_m {
            return;
        }
        let ecef = self.ecef_of(&x);
        let g = skywatch_geo::ecef_to_geodetic(&ecef);
        if !g.lat_deg.is_finite() || !g.lon_deg.is_finite() {
            return;
        }
        let new = LocalFrame::new(Geodetic::new(g.lat_deg, g.lon_deg, 0.0));
        self.reframe(new);
    }

    /// Expresses the state in another frame.
    pub fn reframe(&mut self, new: LocalFrame) {
        let m: Matrix3<f64> = new.rotation() * self.frame.rotation().transpose();
        let mut t = Cov::zeros();
        let pi = [E, N, U];
        let vi = [VE, VN, VU];
        for r in 0..3 {
            for c in 0..3 {
                t[(pi[r], pi[c])] = m[(r, c)];
                t[(vi[r], vi[c])] = m[(r, c)];
            }
        }
        t[(W, W)] = 1.0;
        for k in 0..2 {
            let x = self.state.x[k];
            let p = Vector3::new(x[E], x[N], x[U]);
            let np = new.ecef_to_enu(&self.frame.enu_to_ecef(&p));
            let mut y = t * x;
            y[E] = np.x;
            y[N] = np.y;
            y[U] = np.z;
            self.state.x[k] = y;
            self.state.p[k] = t * self.state.p[k] * t.transpose();
        }
        self.state.refresh();
        self.frame = new;
    }

    /// Estimate, horizontal covariance and mode probabilities predicted to `t`,
    /// without changing the track.
    pub fn output(&self, imm: &Imm, t: f64, ccfg: &ClassifyConfig) -> TrackSnapshot {
        // Display needs no mode mixing: the combined estimate, moved by one CV
        // prediction, and the modes' turn rate and probabilities as last updated
        // (they change little within the second or so between updates).
        let st = &self.state;
        let (x, p) = st.predict_combined(imm, t);
        let mu = st.mu;
        let pos_enu = Vector3::new(x[E], x[N], x[U]);
        let pos = self.frame.enu_to_geodetic(&pos_enu);
        // Axes at the object's own position: velocity is reported in them.
        let m: Matrix3<f64> =
            ecef_to_enu_rotation(pos.lat_deg, pos.lon_deg) * self.frame.rotation().transpose();
        let v = m * Vector3::new(x[VE], x[VN], x[VU]);
        let mut tm = SMatrix::<f64, 4, 7>::zeros();
        for r in 0..2 {
            for (c, (pi, vi)) in [(E, VE), (N, VN), (U, VU)].into_iter().enumerate() {
                tm[(r, pi)] = m[(r, c)];
                tm[(r + 2, vi)] = m[(r, c)];
            }
        }
        let ch = tm * p * tm.transpose();
        let cov_h = std::array::from_fn(|r| std::array::from_fn(|c| ch[(r, c)]));
        let sd_h = (0.5 * (ch[(0, 0)] + ch[(1, 1)])).max(0.0).sqrt();
        let vel = Velocity {
            vn: v.y,
            ve: v.x,
            vu: v.z,
        };
        let sd_v = (0.5 * (ch[(2, 2)] + ch[(3, 3)])).max(0.0).sqrt();
        let sd_alt = p[(U, U)].max(0.0).sqrt();
        let (class, conf, p_threat) = self.classify(&vel, pos.alt_m, sd_alt, sd_v, ccfg);
        TrackSnapshot {
            estimate: TrackEstimate {
                t,
                id: self.id,
                pos,
                vel,
                class,
                class_confidence: conf,
                cov_h_m: Some(sd_h),
                icao: self.icao,
                callsign: self.callsign.clone(),
            },
            cov_h,
            // The turn rate of the manoeuvring (CT) mode, with `p_manoeuvre` its
            // probability: a predictor can branch on both. (The mixture mean would be a
            // turn rate neither mode believes in.)
            turn_rate: st.x[1][W],
            sd_turn_rate: st.p[1][(W, W)].max(0.0).sqrt(),
            p_manoeuvre: mu[1],
            p_threat,
            last_update_t: self.last_update_t,
            // The engine knows the listeners and sets this (`Engine::snapshots_at`).
            in_coverage: true,
        }
    }

    /// True if a confirmed track has gone too long without news at `t`: no update for
    /// `delete_after_gaps` of its usual gaps (within `min_delete_after_s` and
    /// `delete_after_s`), or, for a cooperative track, no ADS-B message for
    /// `cooperative_delete_after_s`.
    ///
    /// `radar_limit`: how long the radar that last plotted the track may miss it at its
    /// range before that means it is gone ([`crate::revisit`]), if learned. While the
    /// track's newest fix is that radar's plot, the smaller of it and the own-gaps limit
    /// applies, capped at `revisit_max_delete_s` rather than `delete_after_s`.
    pub fn expired(
        &self,
        t: f64,
        life: &crate::config::LifeConfig,
        radar_limit: Option<f64>,
    ) -> bool {
        let radar_limit = radar_limit
            .filter(|l| l.is_finite() && life.revisit_delete_gaps > 0.0)
            .filter(|_| self.last_radar_t >= self.last_fix_t);
        let limit = if self.reporters_only {
            life.reporter_delete_after_s
        } else if let Some(l) = radar_limit {
            let own = if self.update_gap_s.is_finite() {
                life.delete_after_gaps * self.update_gap_s
            } else {
                f64::INFINITY
            };
            l.min(own)
                .max(life.min_delete_after_s)
                .min(life.revisit_max_delete_s)
        } else if self.update_gap_s.is_finite() {
            (life.delete_after_gaps * self.update_gap_s)
                .max(life.min_delete_after_s)
                .min(life.delete_after_s)
        } else {
            life.delete_after_s
        };
        t - self.last_update_t > limit
            || (self.icao.is_some() && t - self.last_adsb_t > life.cooperative_delete_after_s)
    }

    /// Notes the track's estimate after an in-order update at `t`, if the newest sample
    /// of its path is at least `cfg.transit_sample_s` old; samples older than
    /// `cfg.transit_window_s` before the newest leave (one is kept beyond it, so that the
    /// path spans the whole window).
    ///
    /// # Units
    /// Seconds.
    pub fn note_path(&mut self, t: f64, cfg: &ClassifyConfig) {
        if cfg.transit_window_s <= 0.0
            || self
                .path
                .back()
                .is_some_and(|&(t0, ..)| t - t0 < cfg.transit_sample_s)
        {
            return;
        }
        let (x, _) = self.state.combined();
        let g = self.frame.enu_to_geodetic(&Vector3::new(x[E], x[N], x[U]));
        if !(g.lat_deg.is_finite() && g.lon_deg.is_finite()) {
            return;
        }
        self.path.push_back((t, g.lat_deg, g.lon_deg));
        while self.path.len() > 2 && t - self.path[1].0 >= cfg.transit_window_s {
            self.path.pop_front();
        }
    }

    /// How straight the track has flown over the last `cfg.transit_window_s`: the
    /// distance from the first to the last sample of its path over the length of the
    /// path through its samples (1 for a straight line), and how fast it got there (that
    /// distance over the time between the samples). `None` while the path spans less
    /// than the window, or has fewer than half the samples a track updated throughout
    /// would have: two fixes either side of a long gap make a straight line of anything.
    ///
    /// # Units
    /// A ratio, 0 to 1, and m/s.
    pub fn straightness(&self, cfg: &ClassifyConfig) -> Option<(f64, f64)> {
        let (&(t0, lat0, lon0), &(t1, lat1, lon1)) = (self.path.front()?, self.path.back()?);
        let (window, step) = (cfg.transit_window_s, cfg.transit_sample_s.max(1.0));
        let segments = (self.path.len() - 1) as f64;
        if window <= 0.0 || t1 - t0 < window || segments < 0.5 * window / step {
            return None;
        }
        let mut len = 0.0;
        for (a, b) in self.path.iter().zip(self.path.iter().skip(1)) {
            len += flat_distance_m(a.1, a.2, b.1, b.2);
        }
        let net = flat_distance_m(lat0, lon0, lat1, lon1);
        (len > 1.0).then(|| ((net / len).clamp(0.0, 1.0), net / (t1 - t0)))
    }

    /// Notes a fix (plot, position, ADS-B) at `t` in the moving average of the gaps
    /// between fixes (in-order fixes only).
    pub fn note_fix(&mut self, t: f64) {
        if let Some(avg) = average_gap(self.fix_gap_s, t - self.last_fix_t) {
            self.fix_gap_s = avg;
            self.best_fix_gap_s = self.best_fix_gap_s.min(avg);
        }
        self.last_fix_t = self.last_fix_t.max(t);
    }

    /// True if the fixes were thinning out by the last one: their moving average gap at
    /// least `factor` times the best the track has had. A radar losing a small, low
    /// drone with range does so by missing more and more scans; one that plots a drone
    /// every scan until it stops saw it end.
    pub fn fixes_fading(&self, factor: f64) -> bool {
        factor > 0.0
            && self.fix_gap_s.is_finite()
            && self.best_fix_gap_s.is_finite()
            && self.fix_gap_s >= factor * self.best_fix_gap_s
    }

    /// True if at `t` the track is moving away from the radar that last plotted it at
    /// `min_rate_m_s` or faster (range rate, m/s); false if no radar has.
    pub fn receding_from_last_radar(&self, t: f64, min_rate_m_s: f64) -> bool {
        let Some(o) = self.last_radar_ecef else {
            return false;
        };
        let r0 = (self.ecef_at(t) - o).norm();
        let r1 = (self.ecef_at(t + 1.0) - o).norm();
        r1 - r0 >= min_rate_m_s
    }

    /// One-sigma altitude uncertainty of the track's constant-velocity mode as last
    /// updated, metres.
    pub fn sd_alt(&self) -> f64 {
        self.state.p[0][(U, U)].max(0.0).sqrt()
    }

    /// Notes an update at `t` in the moving average of gaps (in-order updates only).
    pub fn note_update(&mut self, t: f64) {
        if let Some(avg) = average_gap(self.update_gap_s, t - self.last_update_t) {
            self.update_gap_s = avg;
        }
        self.last_update_t = self.last_update_t.max(t);
    }

    /// Class, confidence and threat probability from identity, hints and kinematics.
    ///
    /// A small naive-Bayes over drone / aircraft / bird / unknown: each piece of
    /// evidence multiplies a likelihood. Kinematic likelihoods are widened by the
    /// velocity uncertainty, so a young track leans on its prior and hints; the altitude
    /// terms by the altitude uncertainty (a 2D radar or a bearing without elevation
    /// measures none, and the estimate then wanders: a slow bird at a guessed 2.5 km
    /// must not stop looking like a bird). Long silence near working acoustic nodes makes
    /// drone and aircraft less likely; never being heard by ADS-B receivers that would
    /// hear a cooperative aircraft there ([`crate::squitter`]) makes aircraft less likely.
    pub fn classify(
        &self,
        vel: &Velocity,
        alt_m: f64,
        sd_alt: f64,
        sd_v: f64,
        cfg: &ClassifyConfig,
    ) -> (Class, f64, f64) {
        if self.icao.is_some() {
            // A cooperative aircraft broadcasting its identity is never a threat.
            return (Class::Aircraft, 0.99, 0.0);
        }
        let s = vel.horizontal_speed();
        // Velocity uncertainty widens the kinematic likelihoods, but not beyond 15 m/s:
        // further widening would let a young track's prior override clear evidence.
        let sv = sd_v.clamp(1.0, 15.0);
        let gauss = |mean: f64, sd: f64| {
            let z = (s - mean) / (sd * sd + sv * sv).sqrt();
            (-0.5 * z * z).exp()
        };
        let logistic = |x: f64| 1.0 / (1.0 + (-x).exp());
        // A logistic step in altitude of width `w`, averaged over the altitude's
        // uncertainty (probit approximation: E σ(x) ≈ σ(μ / √(1 + π s²/8))).
        let sa = if sd_alt.is_finite() {
            sd_alt.max(0.0)
        } else {
            0.0
        };
        let below = |ceiling: f64, w: f64| {
            logistic((ceiling - alt_m) / (w * w + std::f64::consts::PI / 8.0 * sa * sa).sqrt())
        };
        let kin = [
            // Drone: one-way attack drones fly 42-51 m/s through the air, below about
            // 4 km; over the ground that is plus or minus the wind, which at their
            // heights often blows 10-30 m/s. Spread 14 m/s (a 13 m/s wind spread on
            // the air speed's 5): with the windless 10, a wave at 70-80 m/s was called
            // unknown or aircraft (timely recall 93.7 against 98.4 %), one at 22-30 m/s
            // a bird (81.2 against 90.6 %). 17 did more for those but let radar
            // clutter's random velocities pass for drones (one false warning more on
            // two of four dense-clutter seeds); `bench/warn/probes.sh`, RESULTS
            // thirteenth session.
            gauss(48.0, 14.0) * below(4500.0, 500.0),
            // Aircraft: fast, or high.
            logistic((s - 80.0) / (10.0 + sv)).max(1.0 - below(5000.0, 500.0)),
            // Bird: slow and low.
            gauss(12.0, 8.0) * below(1500.0, 300.0),
            // Unknown: a flat floor, so that odd kinematics do not force a class.
            0.15,
        ];
        let w = cfg.kinematic_weight.clamp(0.0, 1.0);
        let prior = cfg
            .prior
            .map(|p| if p.is_finite() { p.max(0.0) } else { 0.0 });
        let rel = cfg.hint_reliability.clamp(0.26, 0.99);
        // Acoustic silence divides the loud classes' likelihood by e every
        // `quiet_tau_s`, down to `quiet_floor`; unknown (either) takes the square root
        // of that. ADS-B silence divides an aircraft's by e every `adsb_quiet_tau_s`,
        // down to the share of aircraft that fly without it.
        let quiet = silence_factor(self.quiet_s, cfg.quiet_tau_s, cfg.quiet_floor);
        let uncooperative = silence_factor(
            self.adsb_quiet_s,
            cfg.adsb_quiet_tau_s,
            cfg.noncooperative_share,
        );
        // Transit: a bird that stays about its roost or feeding ground wanders; an object
        // that has held one line for minutes is going somewhere.
        let transit = transit_factor(self.straightness(cfg), cfg);
        // A lane of cooperative traffic flown on its heading: the way aircraft go.
        let lane = if cfg.lane_aircraft_factor > 1.0
            && cfg.lane_full_s > 0.0
            && s >= cfg.lane_min_speed_m_s
        {
            1.0 + (cfg.lane_aircraft_factor - 1.0) * (self.lane_s / cfg.lane_full_s).clamp(0.0, 1.0)
        } else {
            1.0
        };
        let evidence = [quiet, quiet * uncooperative * lane, transit, quiet.sqrt()];
        let mut post = [0.0; 4];
        for c in 0..4 {
            let mut l = prior[c] * (kin[c] + 1e-3).powf(w) * evidence[c];
            // An "unknown" hint says nothing about the class: only the first three count.
            for (h, &n) in self.hints.iter().enumerate().take(3) {
                let lh: f64 = if h == c { rel } else { (1.0 - rel) / 3.0 };
                // At most two hints per class count: hints are correlated (one
                // classifier, many reports), so they must not swamp the kinematics.
                l *= lh.powi(n.min(2) as i32);
            }
            post[c] = l;
        }
        let sum: f64 = post.iter().sum();
        if !(sum.is_finite() && sum > 0.0) {
            return (Class::Unknown, 0.0, 0.5);
        }
        for p in &mut post {
            *p /= sum;
        }
        let (best, &conf) = post
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .unwrap_or((3, &0.0));
        let class = Class::ALL[best];
        // Unknown objects count half: warning about them is the cautious side.
        let p_threat = (post[0] + 0.5 * post[3]).clamp(0.0, 1.0);
        (class, conf, p_threat)
    }
}

/// The likelihood factor of `silent_s` seconds of silence where a class would have
/// been heard: e⁻¹ every `tau_s`, never below `floor` (0 to 1); 1 with `tau_s` 0 (off).
fn silence_factor(silent_s: f64, tau_s: f64, floor: f64) -> f64 {
    if tau_s > 0.0 && silent_s > 0.0 {
        (-silent_s / tau_s).exp().max(floor.clamp(0.0, 1.0))
    } else {
        1.0
    }
}

/// The bird likelihood factor of a path of straightness `r` flown at a net `speed`
/// (see [`ClassifyConfig::transit_bird_factor`]): 1 up to `transit_straight_from` or
/// below `transit_min_speed_m_s`, falling geometrically to `transit_bird_factor` at
/// `transit_straight_full`.
fn transit_factor(path: Option<(f64, f64)>, cfg: &ClassifyConfig) -> f64 {
    let (lo, hi) = (cfg.transit_straight_from, cfg.transit_straight_full);
    match path {
        Some((r, speed))
            if hi > lo && cfg.transit_bird_factor > 0.0 && speed >= cfg.transit_min_speed_m_s =>
        {
            let f = ((r - lo) / (hi - lo)).clamp(0.0, 1.0);
            cfg.transit_bird_factor.min(1.0).powf(f)
        }
        _ => 1.0,
    }
}

/// A moving average of gaps (weight 0.2 on the newest) updated with `gap`, or `None`
/// for a gap that is no gap (out of order, or the first event). NaN `avg` starts it.
fn average_gap(avg: f64, gap: f64) -> Option<f64> {
    (gap > 0.0 && gap.is_finite()).then(|| {
        if avg.is_finite() {
            0.8 * avg + 0.2 * gap
        } else {
            gap
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::motion::State;
    use skywatch_model::Class;

    /// A new track at rest at `lat`, `lon` (degrees), with a unit covariance.
    fn track_at(lat: f64, lon: f64) -> Track {
        let frame = LocalFrame::new(Geodetic::new(lat, lon, 0.0));
        Track::new(
            1,
            frame,
            ImmState::new(0.0, State::zeros(), Cov::identity(), 0.1),
        )
    }

    /// `tr` after flying `legs` (east, north velocity, m/s, for 30 s each) from the
    /// origin, its path noted at every leg's end.
    fn fly(mut tr: Track, legs: &[(f64, f64)], cfg: &ClassifyConfig) -> Track {
        let (mut e, mut n) = (0.0, 0.0);
        for (k, &(ve, vn)) in legs.iter().enumerate() {
            let t = 30.0 * k as f64;
            let mut x = State::zeros();
            (x[E], x[N], x[U], x[VE], x[VN]) = (e, n, 200.0, ve, vn);
            tr.state = ImmState::new(t, x, Cov::identity(), 0.1);
            tr.note_path(t, cfg);
            (e, n) = (e + 30.0 * ve, n + 30.0 * vn);
        }
        tr
    }

    #[test]
    fn a_straight_path_at_bird_speed_is_not_taken_for_a_bird() {
        let cfg = ClassifyConfig::default();
        let vel = Velocity {
            vn: 26.0,
            ve: 0.0,
            vu: 0.0,
        };
        // 26 m/s at 200 m, nothing else known: speed and height fit a fast bird and a
        // Lancet-class drone alike, and birds are the commoner.
        let (c, _, p0) = track_at(35.0, 129.0).classify(&vel, 200.0, 30.0, 2.0, &cfg);
        assert_eq!(c, Class::Bird);
        // Five minutes on one line: the bird likelihood falls fourfold, and "unknown"
        // (half a threat) leads.
        let straight = fly(track_at(35.0, 129.0), &[(0.0, 26.0); 11], &cfg);
        let (r, v) = straight.straightness(&cfg).unwrap();
        assert!(r > 0.999 && (v - 26.0).abs() < 0.1, "{r} {v}");
        let (c, _, p1) = straight.classify(&vel, 200.0, 30.0, 2.0, &cfg);
        assert_ne!(c, Class::Bird);
        // p_threat 0.29 -> 0.52: above the warning engine's floor of 0.45.
        assert!(p0 < 0.3 && p1 > 0.5, "p_threat {p0} -> {p1}");
        // The same speed, wandering (a quarter turn every 30 s): still a bird.
        let turns = [(0.0, 26.0), (26.0, 0.0), (0.0, -26.0), (-26.0, 0.0)];
        let legs: Vec<_> = turns.iter().cycle().take(11).copied().collect();
        let wander = fly(track_at(35.0, 129.0), &legs, &cfg);
        let (r, _) = wander.straightness(&cfg).unwrap();
        assert!(r < 0.3, "{r}");
        let (c, _, p2) = wander.classify(&vel, 200.0, 30.0, 2.0, &cfg);
        assert_eq!(c, Class::Bird);
        assert!((p2 - p0).abs() < 1e-12);
        // Four minutes is not yet the window: no evidence either way.
        let young = fly(track_at(35.0, 129.0), &[(0.0, 26.0); 9], &cfg);
        assert_eq!(young.straightness(&cfg), None);
        // Samples closer than `transit_sample_s` are not kept; the path keeps one
        // sample beyond the window.
        let mut tr = straight.clone();
        tr.note_path(310.0, &cfg);
        assert_eq!(tr.path.len(), 11);
        assert_eq!(tr.path.front().unwrap().0, 0.0);
        // A bird on passage, on one line at 6 m/s, its velocity estimate thrown to
        // 26 m/s for a moment (a jump after a coast): too slow a path to count.
        let drift = fly(track_at(35.0, 129.0), &[(0.0, 6.0); 11], &cfg);
        let (r, v) = drift.straightness(&cfg).unwrap();
        assert!(r > 0.999 && (v - 6.0).abs() < 0.1, "{r} {v}");
        let (c, _, p4) = drift.classify(&vel, 200.0, 30.0, 2.0, &cfg);
        assert_eq!(c, Class::Bird);
        assert!((p4 - p0).abs() < 1e-12);
        // Two fixes 330 s apart, nothing between (a long coast): no evidence.
        let gap = fly(track_at(35.0, 129.0), &[(0.0, 26.0)], &cfg);
        let mut x = State::zeros();
        (x[N], x[U], x[VN]) = (330.0 * 26.0, 200.0, 26.0);
        let mut gap = Track {
            state: ImmState::new(330.0, x, Cov::identity(), 0.1),
            ..gap
        };
        gap.note_path(330.0, &cfg);
        assert_eq!(gap.path.len(), 2);
        assert_eq!(gap.straightness(&cfg), None);
        // A window of 0 turns it off.
        let off = ClassifyConfig {
            transit_window_s: 0.0,
            ..cfg
        };
        let (_, _, p3) = straight.classify(&vel, 200.0, 30.0, 2.0, &off);
        assert!((p3 - p0).abs() < 1e-12);
    }

    #[test]
    fn fixes_fade_when_their_gaps_grow_past_twice_the_best() {
        let mut tr = track_at(37.0, 127.0);
        assert!(!tr.fixes_fading(2.0), "no fixes: nothing to fade");
        for k in 0..20 {
            tr.note_fix(4.0 * k as f64);
        }
        assert!((tr.best_fix_gap_s - 4.0).abs() < 1e-9);
        assert!(!tr.fixes_fading(2.0));
        // An out-of-order fix changes nothing.
        tr.note_fix(10.0);
        assert!((tr.fix_gap_s - 4.0).abs() < 1e-9);
        // Every third scan from now on: the average gap climbs past 8 s.
        let mut t = 76.0;
        for _ in 0..6 {
            t += 12.0;
            tr.note_fix(t);
        }
        assert!(tr.fix_gap_s > 8.0, "{}", tr.fix_gap_s);
        assert!(tr.fixes_fading(2.0));
        assert!(!tr.fixes_fading(0.0), "0 turns it off");
        assert!(!tr.fixes_fading(4.0));
    }

    #[test]
    fn deletion_asks_both_the_track_and_the_radar_rhythm() {
        let life = crate::config::LifeConfig::default();
        let mut tr = track_at(37.0, 127.0);
        tr.status = Status::Confirmed;
        // Plotted by one radar every 12 s (far out, one scan in three).
        for k in 0..10 {
            let t = 12.0 * k as f64;
            tr.note_update(t);
            tr.note_fix(t);
            tr.last_radar_t = t;
        }
        let last = tr.last_update_t;
        // Nothing learned about the radar: its own gaps, capped at `delete_after_s`.
        assert!(!tr.expired(last + 39.0, &life, None));
        assert!(tr.expired(last + 41.0, &life, None));
        // The radar usually leaves 84 s (7 × 12) there too: both agree it may be
        // silent past 40 s, up to the smaller of 8 × 12 and 84.
        assert!(!tr.expired(last + 80.0, &life, Some(84.0)));
        assert!(tr.expired(last + 85.0, &life, Some(84.0)));
        // Close in, where that radar plots its tracks every scan (7 × 2.5 s): the
        // radar's rhythm says gone long before the track's own does.
        assert!(!tr.expired(last + 16.0, &life, Some(17.5)));
        assert!(tr.expired(last + 18.0, &life, Some(17.5)));
        // Never below `min_delete_after_s`, never above `revisit_max_delete_s`.
        assert!(!tr.expired(last + 11.0, &life, Some(3.0)));
        assert!(tr.expired(last + life.revisit_max_delete_s + 1.0, &life, Some(1e4)));
        // A newer fix from another sensor than the radar: the radar's rhythm is moot.
        tr.note_fix(last + 1.0);
        assert!(!tr.expired(last + 18.0, &life, Some(17.5)));
        // 0 turns the radar's rule off.
        let off = crate::config::LifeConfig {
            revisit_delete_gaps: 0.0,
            ..life
        };
        tr.last_radar_t = last + 1.0;
        assert!(!tr.expired(last + 18.0, &off, Some(17.5)));
    }

    #[test]
    fn a_slow_track_at_a_guessed_altitude_is_still_a_bird() {
        // A 2D radar or an elevation-less bearing measures no altitude: the estimate is
        // a wandering guess. 15 m/s at a guessed 2.5 km (sigma 1.5 km) is a bird; the
        // same at a measured 2.5 km (sigma 30 m) is too high for one.
        let tr = track_at(36.0, 126.7);
        let cfg = ClassifyConfig::default();
        let vel = Velocity {
            vn: 12.0,
            ve: -9.0,
            vu: 0.0,
        };
        let (guessed, _, p_guessed) = tr.classify(&vel, 2500.0, 1500.0, 2.0, &cfg);
        let (measured, _, p_measured) = tr.classify(&vel, 2500.0, 30.0, 2.0, &cfg);
        assert_eq!(guessed, Class::Bird, "p_threat {p_guessed}");
        assert_ne!(measured, Class::Bird);
        assert!(p_guessed < 0.5 * p_measured, "{p_guessed} vs {p_measured}");
        // A drone's speed keeps it a drone whatever the altitude's uncertainty.
        let fast = Velocity {
            vn: 40.0,
            ve: -28.0,
            vu: 0.0,
        };
        for sd_alt in [30.0, 1500.0] {
            let (c, _, p) = tr.classify(&fast, 1200.0, sd_alt, 2.0, &cfg);
            assert_eq!(c, Class::Drone, "sd_alt {sd_alt}: p_threat {p}");
        }
    }

    #[test]
    fn a_dark_aircraft_on_a_cooperative_lane_is_no_threat() {
        // 78 m/s at 400 m, unheard for a minute where ADS-B receivers listen: too fast
        // for most drones, too quiet for an aircraft, so "unknown" leads and counts
        // half a threat.
        let mut tr = track_at(38.06, 128.67);
        tr.adsb_quiet_s = 60.0;
        let cfg = ClassifyConfig::default();
        let climb = Velocity {
            vn: 67.5,
            ve: -39.0,
            vu: 0.0,
        };
        let (_, _, p0) = tr.classify(&climb, 400.0, 30.0, 6.0, &cfg);
        assert!(p0 > 0.45, "p_threat {p0}");
        // Two minutes of cooperative departures flown there on its heading: it flies
        // the way aircraft go, and falls below the warning engine's 0.45 floor.
        tr.lane_s = cfg.lane_full_s;
        let (c, _, p1) = tr.classify(&climb, 400.0, 30.0, 6.0, &cfg);
        assert_eq!(c, Class::Aircraft, "p_threat {p1}");
        assert!(p1 < 0.35, "p_threat {p0} -> {p1}");
        // A drone on the same lane at 65 m/s (a strong tailwind) is not touched.
        let fast = Velocity {
            vn: 56.3,
            ve: -32.5,
            vu: 0.0,
        };
        let (_, _, on_lane) = tr.classify(&fast, 400.0, 30.0, 6.0, &cfg);
        tr.lane_s = 0.0;
        let (_, _, off_lane) = tr.classify(&fast, 400.0, 30.0, 6.0, &cfg);
        assert_eq!(on_lane, off_lane);
        // A factor of 1 turns it off.
        tr.lane_s = cfg.lane_full_s;
        let off = ClassifyConfig {
            lane_aircraft_factor: 1.0,
            ..cfg
        };
        let (_, _, p2) = tr.classify(&climb, 400.0, 30.0, 6.0, &off);
        assert_eq!(p2, p0);
    }

    #[test]
    fn a_drone_with_a_tailwind_is_still_a_threat() {
        // 48 m/s air speed plus a 25 m/s tailwind: 73 m/s over the ground, at 500 m.
        // Unheard for a minute where a working ADS-B receiver would hear an aircraft,
        // it is a likely threat; with the windless speed spread (10 m/s) it stayed under
        // the warning engine's 0.45 floor (0.43).
        let mut tr = track_at(36.0, 126.7);
        tr.adsb_quiet_s = 60.0;
        let cfg = ClassifyConfig::default();
        let vel = Velocity {
            vn: 0.0,
            ve: 73.0,
            vu: 0.0,
        };
        let (c, _, p) = tr.classify(&vel, 500.0, 30.0, 2.0, &cfg);
        assert_ne!(c, Class::Aircraft, "p_threat {p}");
        assert!(p > 0.55, "p_threat {p}");
        // The same with a headwind (23 m/s, low, nothing heard) is still a bird: speed
        // alone cannot tell a slow drone from a fast bird.
        let slow = Velocity {
            vn: 0.0,
            ve: 23.0,
            vu: 0.0,
        };
        let (c, _, p) = tr.classify(&slow, 150.0, 30.0, 2.0, &cfg);
        assert_eq!(c, Class::Bird, "p_threat {p}");
    }
}
