//! Typed configuration of the warning engine and of the baseline policies.
//!
//! Every idea that goes beyond a plain kinematic extrapolation (route learning, turn
//! history widening) has its own switch, so that its value can be measured by running
//! the scorer with it on and off.

use serde::Deserialize;

use crate::WarnError;

/// Whole configuration of the warning engine (TOML/JSON via serde; every field has a
/// default, so an empty document is a valid configuration).
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct WarnConfig {
    /// Which tracks count as possible threats.
    pub threat: ThreatFilterConfig,
    /// Corridor prediction.
    pub predict: PredictConfig,
    /// Route learning from the drones ahead in a wave.
    pub routes: RouteConfig,
    /// Where the drones ahead ended their flight.
    pub ends: EndConfig,
    /// On/off policy (thresholds, hysteresis, hold, coast).
    pub policy: PolicyConfig,
    /// The naive baselines (province, radius).
    pub baseline: BaselineConfig,
}

/// Which tracks are treated as possible threats.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThreatFilterConfig {
    /// Tracks with `p_threat` below this are ignored (a probability, 0 to 1). The
    /// tracker counts an unknown object half a threat, so at 0.45 a track it cannot
    /// place at all still warns, while one that is also partly a bird or an aircraft
    /// (a flock whose altitude the radars misjudge) needs some drone-like evidence.
    /// 0.3 warned for such tracks on the DMZ and south-coast runs (4 false intervals
    /// in 10 runs, no true one; mass wave 237 → 229 intervals, precision 83.5 → 86.5 %,
    /// timely recall unchanged; `bench/RESULTS.md`).
    pub p_threat_min: f64,
    /// A track classified `Aircraft` or `Bird` with at least this confidence is never a
    /// threat, whatever its `p_threat` (a probability, 0 to 1).
    pub class_confidence_exempt: f64,
}

impl Default for ThreatFilterConfig {
    fn default() -> Self {
        ThreatFilterConfig {
            p_threat_min: 0.45,
            class_confidence_exempt: 0.7,
        }
    }
}

/// Corridor prediction by a fixed, deterministic sample set.
///
/// # Units
/// Seconds, metres, radians per second as named.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PredictConfig {
    /// How far ahead each threat is propagated, seconds. The policy only acts on entries
    /// within an area's time to shelter plus the lead budget; the rest of the horizon
    /// feeds the ETA reported in reasons.
    pub horizon_s: f64,
    /// Integration step of each sample, seconds. At 50 m/s, 10 s is 500 m: finer than
    /// the corridor's own uncertainty after a minute.
    pub step_s: f64,
    /// Number of samples per track (a Latin hypercube, fixed at construction).
    pub samples: usize,
    /// Seed of the sample set. At 48 samples the scores move by a few points of
    /// precision from one seed to another: compare settings over several seeds.
    pub sample_seed: u64,
    /// Longest a sampled coordinated turn lasts before the sample flies straight again,
    /// seconds (drones turn at waypoints; they do not circle).
    pub max_turn_s: f64,
    /// One sigma of an unknown, constant future heading drift rate, rad/s. 0 by
    /// default: `leg_turns` models unseen turns better (RESULTS, third session).
    pub heading_drift_sd_rad_s: f64,
    /// Floor on the position sigma used for sampling, metres.
    pub min_pos_sd_m: f64,
    /// Floor on the velocity sigma used for sampling, m/s.
    pub min_vel_sd_m_s: f64,
    /// Samples faster than this are slowed to it, m/s (a bad velocity covariance must not
    /// throw samples across the country).
    pub max_speed_m_s: f64,
    /// Widen the corridor of tracks that have been turning (heading history). Off by
    /// default: the turn hazard of `leg_turns` already learns from the turns seen.
    pub turn_history: bool,
    /// Length of the per-track heading history, seconds.
    pub turn_history_s: f64,
    /// Extra heading drift sigma per unit of RMS recent turn rate (dimensionless).
    pub turn_history_gain: f64,
    /// Model unseen waypoint turns as events: each sample flies straight until a turn
    /// time drawn from an exponential law with the track's turn hazard, then turns by
    /// `leg_turn_min_deg`..`leg_turn_max_deg` either way. Unlike a heading drift, this
    /// keeps the corridor a line in the short term and a fan later, which is how
    /// waypoint routes behave.
    pub leg_turns: bool,
    /// Prior mean time between waypoint turns, seconds: the hazard of a track nobody
    /// has yet seen turn.
    pub mean_leg_s: f64,
    /// Weight of the prior in turns: the hazard is (turns seen + this) / (time seen +
    /// this × `mean_leg_s`).
    pub leg_prior_turns: f64,
    /// Heading change counted as one turn when turns are counted from the track's
    /// heading history, degrees.
    pub leg_turn_unit_deg: f64,
    /// Smallest and largest sampled waypoint turn, degrees.
    pub leg_turn_min_deg: f64,
    pub leg_turn_max_deg: f64,
    /// Loitering munitions circle their target before they dive. A track whose heading
    /// has turned one way by `orbit_min_turn_deg` or more within `orbit_window_s`, and
    /// in at least three quarters of its 10 s heading samples, is orbiting: its samples
    /// keep turning at its mean rate for the whole horizon (give or take
    /// `orbit_rate_sd` of it), not fly off straight after `max_turn_s` or along a
    /// learned route. Waypoint turns are brief and alternate; they do not add up so.
    /// Off by default: on the loitering south wave (8 seeds) it cut warned area-hours
    /// and raised the justified share by 0.9 points, but split warnings into more
    /// on/off intervals (precision −1.4 points; RESULTS, eleventh session).
    pub orbits: bool,
    pub orbit_window_s: f64,
    pub orbit_min_turn_deg: f64,
    /// One sigma of the orbit's future turn rate, as a fraction of the rate seen.
    pub orbit_rate_sd: f64,
    /// A track's corridor is reused (aged) for up to this long while its heading, turn
    /// rate and manoeuvre probability stay close to those it was predicted with,
    /// seconds; 0 re-predicts every track at every step.
    pub repredict_s: f64,
    /// Most corridors re-predicted in one step (new tracks always are): bounds the step's
    /// cost at mass-wave load, where tracker noise makes most corridors look out of
    /// date; the rest wait for a later step, most out of date first.
    pub max_repredict_per_step: usize,
    /// Cell size of the lazily built area lookup grid, metres.
    pub grid_cell_m: f64,
    /// Upper bound on grid cells; the cell is enlarged to fit (memory bound).
    pub max_grid_cells: usize,
}

impl Default for PredictConfig {
    fn default() -> Self {
        PredictConfig {
            horizon_s: 600.0,
            step_s: 10.0,
            samples: 128,
            sample_seed: 0x5359_5741_5443_4821, // "SYWATCH!"
            max_turn_s: 90.0,
            heading_drift_sd_rad_s: 0.0,
            min_pos_sd_m: 30.0,
            min_vel_sd_m_s: 1.0,
            max_speed_m_s: 120.0,
            turn_history: false,
            turn_history_s: 60.0,
            turn_history_gain: 0.1,
            leg_turns: true,
            mean_leg_s: 600.0,
            leg_prior_turns: 1.0,
            leg_turn_unit_deg: 60.0,
            leg_turn_min_deg: 20.0,
            leg_turn_max_deg: 120.0,
            orbits: false,
            orbit_window_s: 300.0,
            orbit_min_turn_deg: 270.0,
            orbit_rate_sd: 0.2,
            repredict_s: 3.0,
            max_repredict_per_step: 200,
            grid_cell_m: 500.0,
            max_grid_cells: 4_000_000,
        }
    }
}

/// Route learning: followers in a wave are predicted to fly the path the tracks ahead
/// of them flew.
///
/// # Units
/// Seconds, metres, degrees as named.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RouteConfig {
    /// Switch.
    pub enabled: bool,
    /// Paths are recorded at whole multiples of this period, seconds.
    pub record_every_s: f64,
    /// Most paths kept (the least recently extended are dropped first).
    pub max_paths: usize,
    /// Most points per path (the oldest are dropped first).
    pub max_points: usize,
    /// Points older than this are dropped, seconds.
    pub max_age_s: f64,
    /// A follower matches a path point within this distance, metres.
    pub gate_m: f64,
    /// ... and whose path heading is within this of the follower's, degrees.
    pub heading_gate_deg: f64,
    /// The leader must have passed the point at least this long ago, seconds.
    pub min_lead_s: f64,
    /// The leader's path must go on at least this far beyond the point, metres.
    pub min_ahead_m: f64,
    /// Share of a follower's samples that follow learned routes when any match (0 to 1).
    pub weight: f64,
    /// Most distinct leader paths a follower's route samples are spread over.
    pub max_matches: usize,
    /// Fewest matched leader paths that must agree before any is used: a wave whose
    /// drones fly their own dog-legs teaches nothing about a follower's route, and one
    /// leader's path is one route among many.
    pub min_agree: usize,
    /// Leader paths agree when, as far ahead as the shortest goes, each is within this
    /// of their mean, metres.
    pub agree_m: f64,
    /// Tracks need at least this `p_threat` to leave a path (0 to 1).
    pub p_threat_min: f64,
}

impl Default for RouteConfig {
    fn default() -> Self {
        RouteConfig {
            enabled: true,
            record_every_s: 10.0,
            max_paths: 800,
            max_points: 360,
            max_age_s: 3600.0,
            gate_m: 2000.0,
            heading_gate_deg: 35.0,
            min_lead_s: 20.0,
            min_ahead_m: 2000.0,
            weight: 0.6,
            max_matches: 3,
            min_agree: 2,
            agree_m: 3000.0,
            p_threat_min: 0.5,
        }
    }
}

/// End points: where threats that had been tracked for a while vanished and no new
/// track took up their flight. A drone lost in a coverage gap reappears further on as a
/// new track; one that dived on its aim point does not (south-wave seed 12: 52 of 54
/// tracks never taken up again ended within 3 km and 90 s of a drone's impact, 36 of
/// 36 taken up were losses in flight). Followers of a wave aim at the same places, so a
/// corridor sample that comes within `radius_m` of such a point ends there with
/// probability `p_end` (independently for each point it meets). On: precision 77.0 →
/// 78.3 % on south-wave seed 12, 86.5 → 88.5 % on the mass wave, 75.4 → 78.2 % on
/// south-wave seed 11 with perfect tracks; justified share +0.5 to +1.6 points; no
/// incursion warned late, the acoustic-only and DMZ runs unchanged (`bench/RESULTS.md`).
/// Stronger (`p_end` 0.8, `radius_m` 2,500) bought seed 12 another 1.4 points but
/// warned one south-wave incursion late.
///
/// # Units
/// Seconds, metres, m/s as named; probabilities 0 to 1.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EndConfig {
    /// Switch.
    pub enabled: bool,
    /// A lost track counts only if it was reported for at least this long, seconds.
    pub min_seen_s: f64,
    /// ... flew at least this fast when last reported, m/s.
    pub min_speed_m_s: f64,
    /// ... and had at least this threat probability.
    pub p_threat_min: f64,
    /// A new track born this long after the loss, seconds, ...
    pub reacquire_s: f64,
    /// ... within this distance of the point of loss plus the lost track's speed times
    /// the time since, metres, takes up the lost one's flight (it was a gap).
    pub reacquire_m: f64,
    /// A sample ends near a point when it comes this close, metres.
    pub radius_m: f64,
    /// Probability that a sample ends at a point it comes near.
    pub p_end: f64,
    /// End points are forgotten after this long, seconds.
    pub max_age_s: f64,
    /// Most end points kept (the oldest are dropped first).
    pub max_points: usize,
}

impl Default for EndConfig {
    fn default() -> Self {
        EndConfig {
            enabled: true,
            min_seen_s: 60.0,
            min_speed_m_s: 15.0,
            p_threat_min: 0.5,
            reacquire_s: 300.0,
            reacquire_m: 3000.0,
            radius_m: 1500.0,
            p_end: 0.5,
            max_age_s: 3600.0,
            max_points: 4096,
        }
    }
}

/// The on/off policy of the predictive engine.
///
/// # Units
/// Seconds; probabilities 0 to 1.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PolicyConfig {
    /// Farthest an area is warned ahead of its time to shelter, seconds: entries
    /// predicted later than time to shelter plus this do not warn (justified share).
    pub lead_budget_s: f64,
    /// Probability of entry within time to shelter plus `lead_budget_s` that switches
    /// an area on: the confidence asked of the earliest warnings.
    ///
    /// Entry probabilities include the track's `p_threat`, so these thresholds sit on
    /// the scale of what the tracker gives drones: 0.9 and 0.3 (`p_on_near`) until the
    /// tracker took ADS-B silence as evidence (2026-11-27), which raised a typical
    /// drone's `p_threat` from about 0.78 to 0.87; both were scaled by about that ninth
    /// to keep the operating point (`bench/RESULTS.md`, twelfth session).
    pub p_on: f64,
    /// Probability of entry within time to shelter plus `near_s` that switches an area
    /// on: the confidence asked of a warning that cannot wait any longer. Between the
    /// two windows the threshold goes linearly from this to `p_on`, so a far, uncertain
    /// entry waits until it is either likely or imminent. Equal to `p_on`, it is a
    /// single threshold on the whole window.
    pub p_on_near: f64,
    /// The imminent window beyond the time to shelter, seconds (at most
    /// `lead_budget_s`).
    pub near_s: f64,
    /// Probability (within the window times `keep_factor`) that keeps an area on.
    pub p_off: f64,
    /// Multiplier of the warning window used while an area is already on.
    pub keep_factor: f64,
    /// Time without support before the all-clear, seconds.
    pub hold_s: f64,
    /// Shortest on interval, seconds.
    pub min_on_s: f64,
    /// How long the on condition must hold without a break before an area goes on when
    /// it needs tracks younger than `young_track_s`, seconds: evidence that flickers (a
    /// false track in its first seconds, a bird whose speed is not yet known) does not
    /// warn. Established tracks warn at once.
    pub persist_s: f64,
    /// A track seen for less than this is young, seconds (see `persist_s`).
    pub young_track_s: f64,
    /// Shortest off interval before the same area may be warned again, seconds.
    pub min_off_s: f64,
    /// A track that disappears keeps its last prediction this long, seconds.
    pub coast_s: f64,
    /// Whether a coasting track's prediction may switch an area on. It always keeps
    /// one on, across a coverage gap; but a track lost before it warned is no new
    /// evidence: a drone that dives on its aim point vanishes like one in a gap, and
    /// raising warnings on its last heading warned the districts beyond the aim points
    /// of every wave (off: precision +7 to +10 points with perfect tracks on the south
    /// wave, +6 on the mass wave with real ones, no incursion warned late;
    /// `bench/RESULTS.md`).
    pub coast_triggers: bool,
    /// How long a track lost out of coverage keeps its last prediction, seconds; its
    /// prediction may switch areas on (whatever `coast_triggers` says). The tracker
    /// flags a track out of coverage (`TrackSnapshot::in_coverage`) when no node is
    /// within reach of it or its path ahead and no radar is still plotting it: a
    /// drone that left the edge of the sensors towards the cities inland, not one that
    /// dived on its aim point under them.
    pub uncovered_coast_s: f64,
    /// Tracks contributing less than this to an area are left out of its reason.
    pub p_reason_min: f64,
}

impl Default for PolicyConfig {
    fn default() -> Self {
        PolicyConfig {
            lead_budget_s: 240.0,
            p_on: 0.95,
            p_on_near: 0.335,
            near_s: 90.0,
            p_off: 0.1,
            keep_factor: 1.0,
            hold_s: 60.0,
            min_on_s: 120.0,
            persist_s: 10.0,
            young_track_s: 30.0,
            min_off_s: 30.0,
            coast_s: 120.0,
            coast_triggers: false,
            uncovered_coast_s: 600.0,
            p_reason_min: 0.02,
        }
    }
}

/// Naive baselines standing for today's practice.
///
/// # Units
/// Metres.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BaselineConfig {
    /// A province is warned when a threat is inside it or this close to it, metres.
    pub province_margin_m: f64,
    /// An area is warned when a threat is this close to it, metres.
    pub radius_m: f64,
}

impl Default for BaselineConfig {
    fn default() -> Self {
        BaselineConfig {
            province_margin_m: 20_000.0,
            radius_m: 30_000.0,
        }
    }
}

fn check(ok: bool, field: &'static str, what: &'static str) -> Result<(), WarnError> {
    if ok {
        Ok(())
    } else {
        Err(WarnError::Config { field, what })
    }
}

fn prob(x: f64) -> bool {
    (0.0..=1.0).contains(&x)
}

fn nonneg(x: f64) -> bool {
    x.is_finite() && x >= 0.0
}

impl WarnConfig {
    /// Checks ranges; returns the first bad field.
    pub fn validate(&self) -> Result<(), WarnError> {
        let (p, r, q, b, th) = (
            &self.predict,
            &self.routes,
            &self.policy,
            &self.baseline,
            &self.threat,
        );
        check(
            prob(th.p_threat_min),
            "threat.p_threat_min",
            "must be in [0, 1]",
        )?;
        let en = &self.ends;
        check(nonneg(en.min_seen_s), "ends.min_seen_s", "must be >= 0")?;
        check(
            nonneg(en.min_speed_m_s),
            "ends.min_speed_m_s",
            "must be >= 0",
        )?;
        check(
            prob(en.p_threat_min),
            "ends.p_threat_min",
            "must be in [0, 1]",
        )?;
        check(nonneg(en.reacquire_s), "ends.reacquire_s", "must be >= 0")?;
        check(nonneg(en.reacquire_m), "ends.reacquire_m", "must be >= 0")?;
        check(nonneg(en.radius_m), "ends.radius_m", "must be >= 0")?;
        check(
            en.p_end.is_finite() && (0.0..1.0).contains(&en.p_end),
            "ends.p_end",
            "must be in [0, 1)",
        )?;
        check(nonneg(en.max_age_s), "ends.max_age_s", "must be >= 0")?;
        check(
            prob(th.class_confidence_exempt),
            "threat.class_confidence_exempt",
            "must be in [0, 1]",
        )?;
        check(
            p.horizon_s.is_finite() && p.horizon_s > 0.0,
            "predict.horizon_s",
            "must be > 0",
        )?;
        check(
            p.step_s.is_finite() && p.step_s > 0.0 && p.step_s <= p.horizon_s,
            "predict.step_s",
            "must be > 0 and <= horizon_s",
        )?;
        check(
            (1..=4096).contains(&p.samples),
            "predict.samples",
            "must be 1..=4096",
        )?;
        check(nonneg(p.max_turn_s), "predict.max_turn_s", "must be >= 0")?;
        check(
            nonneg(p.heading_drift_sd_rad_s),
            "predict.heading_drift_sd_rad_s",
            "must be >= 0",
        )?;
        check(
            nonneg(p.min_pos_sd_m),
            "predict.min_pos_sd_m",
            "must be >= 0",
        )?;
        check(
            nonneg(p.min_vel_sd_m_s),
            "predict.min_vel_sd_m_s",
            "must be >= 0",
        )?;
        check(
            p.max_speed_m_s.is_finite() && p.max_speed_m_s > 0.0,
            "predict.max_speed_m_s",
            "must be > 0",
        )?;
        check(
            nonneg(p.turn_history_s),
            "predict.turn_history_s",
            "must be >= 0",
        )?;
        check(
            nonneg(p.turn_history_gain),
            "predict.turn_history_gain",
            "must be >= 0",
        )?;
        check(
            nonneg(p.orbit_window_s) && nonneg(p.orbit_min_turn_deg),
            "predict.orbit_window_s",
            "orbit_window_s and orbit_min_turn_deg must be >= 0",
        )?;
        check(
            nonneg(p.orbit_rate_sd),
            "predict.orbit_rate_sd",
            "must be >= 0",
        )?;
        check(
            p.mean_leg_s.is_finite() && p.mean_leg_s > 0.0,
            "predict.mean_leg_s",
            "must be > 0",
        )?;
        check(
            p.leg_prior_turns.is_finite() && p.leg_prior_turns > 0.0,
            "predict.leg_prior_turns",
            "must be > 0",
        )?;
        check(
            p.leg_turn_unit_deg.is_finite() && p.leg_turn_unit_deg > 0.0,
            "predict.leg_turn_unit_deg",
            "must be > 0",
        )?;
        check(
            nonneg(p.leg_turn_min_deg)
                && p.leg_turn_min_deg <= p.leg_turn_max_deg
                && p.leg_turn_max_deg <= 180.0,
            "predict.leg_turn_min_deg",
            "must be in [0, leg_turn_max_deg], and leg_turn_max_deg <= 180",
        )?;
        check(
            p.max_repredict_per_step >= 1,
            "predict.max_repredict_per_step",
            "must be >= 1",
        )?;
        check(
            p.grid_cell_m.is_finite() && p.grid_cell_m >= 10.0,
            "predict.grid_cell_m",
            "must be >= 10",
        )?;
        check(
            p.max_grid_cells >= 1,
            "predict.max_grid_cells",
            "must be >= 1",
        )?;
        check(
            r.record_every_s.is_finite() && r.record_every_s > 0.0,
            "routes.record_every_s",
            "must be > 0",
        )?;
        check(r.max_points >= 2, "routes.max_points", "must be >= 2")?;
        check(nonneg(r.max_age_s), "routes.max_age_s", "must be >= 0")?;
        check(
            r.gate_m.is_finite() && r.gate_m > 0.0,
            "routes.gate_m",
            "must be > 0",
        )?;
        check(
            nonneg(r.heading_gate_deg),
            "routes.heading_gate_deg",
            "must be >= 0",
        )?;
        check(nonneg(r.min_lead_s), "routes.min_lead_s", "must be >= 0")?;
        check(nonneg(r.min_ahead_m), "routes.min_ahead_m", "must be >= 0")?;
        check(prob(r.weight), "routes.weight", "must be in [0, 1]")?;
        check(
            r.min_agree >= 1 && r.min_agree <= r.max_matches.max(1),
            "routes.min_agree",
            "must be in [1, max_matches]",
        )?;
        check(
            r.agree_m.is_finite() && r.agree_m > 0.0,
            "routes.agree_m",
            "must be > 0",
        )?;
        check(
            prob(r.p_threat_min),
            "routes.p_threat_min",
            "must be in [0, 1]",
        )?;
        check(
            nonneg(q.lead_budget_s),
            "policy.lead_budget_s",
            "must be >= 0",
        )?;
        check(
            prob(q.p_on) && q.p_on > 0.0,
            "policy.p_on",
            "must be in (0, 1]",
        )?;
        check(
            prob(q.p_on_near) && q.p_on_near > 0.0,
            "policy.p_on_near",
            "must be in (0, 1]",
        )?;
        check(
            nonneg(q.near_s) && q.near_s <= q.lead_budget_s,
            "policy.near_s",
            "must be in [0, lead_budget_s]",
        )?;
        check(
            prob(q.p_off) && q.p_off <= q.p_on.min(q.p_on_near),
            "policy.p_off",
            "must be in [0, min(p_on, p_on_near)]",
        )?;
        check(
            q.keep_factor.is_finite() && q.keep_factor >= 1.0,
            "policy.keep_factor",
            "must be >= 1",
        )?;
        check(nonneg(q.hold_s), "policy.hold_s", "must be >= 0")?;
        check(nonneg(q.min_on_s), "policy.min_on_s", "must be >= 0")?;
        check(nonneg(q.min_off_s), "policy.min_off_s", "must be >= 0")?;
        check(nonneg(q.persist_s), "policy.persist_s", "must be >= 0")?;
        check(
            nonneg(q.young_track_s),
            "policy.young_track_s",
            "must be >= 0",
        )?;
        check(nonneg(q.coast_s), "policy.coast_s", "must be >= 0")?;
        check(
            nonneg(q.uncovered_coast_s),
            "policy.uncovered_coast_s",
            "must be >= 0",
        )?;
        check(
            prob(q.p_reason_min),
            "policy.p_reason_min",
            "must be in [0, 1]",
        )?;
        check(
            nonneg(b.province_margin_m),
            "baseline.province_margin_m",
            "must be >= 0",
        )?;
        check(nonneg(b.radius_m), "baseline.radius_m", "must be >= 0")?;
        Ok(())
    }
}
