//! The predictive warning engine: prediction per track, merge per area, policy.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::sync::Arc;

use skywatch_areas::{AreaId, AreaSet, DEFAULT_TIME_TO_SHELTER_S};
use skywatch_geo::angle_diff_rad;
use skywatch_model::{AlertChange, TrackSnapshot};

use crate::ends::EndMemory;
use crate::policy::{AreaMachine, Timing, Transition};
use crate::predict::{Ends, Predictor, TrackPrediction};
use crate::routes::RouteMemory;
use crate::{
    AreaChange, AreaForecast, FORECAST_WINDOWS_S, Reason, Rule, TrackReason, WarnConfig, WarnError,
    WarningPolicy,
};

/// Below this speed a track has no meaningful heading (hovering, or not yet known), m/s.
const MIN_HEADING_SPEED_M_S: f64 = 3.0;

/// A track's last prediction and when the track was last reported.
#[derive(Debug, Clone)]
struct Held {
    pred: TrackPrediction,
    seen_t: f64,
    /// When the track was first reported (as anything), seconds: a lost track coasts
    /// no longer than it was seen.
    born_t: f64,
    /// What the prediction was made from: heading (rad, if moving), turn rate (rad/s),
    /// manoeuvre probability, speed (m/s).
    basis: Basis,
    /// Where the track was last reported (lat, lon) and its speed there, m/s.
    last_pos: (f64, f64, f64),
    /// The tracker said, at its last report, that nobody was placed to see it
    /// (`TrackSnapshot::in_coverage` false): if lost, it flew on out of coverage.
    uncovered: bool,
}

/// What a prediction was made from: heading (rad, if moving), turn rate (rad/s),
/// manoeuvre probability, speed (m/s).
type Basis = (Option<f64>, f64, f64, f64);

/// A held prediction may be reused while the track's state stays within these of the
/// state it was made from: heading (rad), turn rate (rad/s), p_manoeuvre, speed (m/s).
const REUSE_HEADING_RAD: f64 = 0.1;
const REUSE_TURN_RATE: f64 = 0.005;
const REUSE_P_MANOEUVRE: f64 = 0.2;
const REUSE_SPEED_M_S: f64 = 5.0;

fn similar(a: Basis, b: Basis) -> bool {
    let heading = match (a.0, b.0) {
        (Some(x), Some(y)) => angle_diff_rad(x, y).abs() <= REUSE_HEADING_RAD,
        (None, None) => true,
        _ => false,
    };
    heading
        && (a.1 - b.1).abs() <= REUSE_TURN_RATE
        && (a.2 - b.2).abs() <= REUSE_P_MANOEUVRE
        && (a.3 - b.3).abs() <= REUSE_SPEED_M_S
}

/// A track whose corridor is due to be re-predicted, and what it is predicted from.
struct Due {
    /// How out of date its corridor is (infinite for a new track), seconds.
    urgency: f64,
    /// Index in the step's track list.
    i: usize,
    p_threat: f64,
    /// Extra heading drift (turn history), rad/s.
    extra: f64,
    /// Waypoint-turn hazard, 1/s.
    hazard: f64,
    /// Turn rate if circling, rad/s.
    orbit: Option<f64>,
    basis: Basis,
}

/// How often a track's heading is sampled to count its turns, seconds.
const LEG_SAMPLE_S: f64 = 10.0;
/// Heading changes smaller than this between two samples are noise or drift, not a
/// waypoint turn, radians (8°).
const LEG_NOISE_RAD: f64 = 0.14;

/// A track's turning record, for its waypoint-turn hazard.
#[derive(Debug, Clone, Copy)]
struct Legs {
    /// Last heading sample (time, heading rad).
    last: (f64, f64),
    /// Sum of heading changes above the noise level, radians.
    turned_rad: f64,
    /// Time over which headings were sampled, seconds.
    seen_s: f64,
}

/// How long a drone takes to pass through a municipality, seconds (5-30 km at 50 m/s):
/// a coasting prediction stops counting an area this long after it placed the entry.
const PASSAGE_S: f64 = 300.0;

/// Windows at which the on threshold is checked, from the imminent one (time to shelter
/// plus `near_s`) to the farthest (plus `lead_budget_s`), evenly spaced.
const RAMP_POINTS: usize = 4;

/// Evidence gathered for one area at one step.
#[derive(Debug, Default)]
struct Agg {
    /// Product of (1 − p) over tracks, for each on window (imminent first) and the keep
    /// window.
    q_on: [f64; RAMP_POINTS],
    /// The same over established tracks only (seen for `young_track_s` or longer).
    q_firm: [f64; RAMP_POINTS],
    q_keep: f64,
    inside: bool,
    tracks: Vec<TrackReason>,
}

/// The predictive warning engine. See the crate documentation for the design.
pub struct WarnEngine {
    cfg: WarnConfig,
    areas: Arc<AreaSet>,
    predictor: Predictor,
    routes: RouteMemory,
    ends: EndMemory,
    headings: HashMap<u64, VecDeque<(f64, f64)>>,
    legs: HashMap<u64, Legs>,
    /// Heading samples every `LEG_SAMPLE_S` over `orbit_window_s`, for orbit detection.
    orbit_samples: HashMap<u64, VecDeque<(f64, f64)>>,
    held: BTreeMap<u64, Held>,
    /// First time each track in the last snapshot was reported, seconds.
    born: HashMap<u64, f64>,
    machines: Vec<AreaMachine>,
    on: BTreeSet<AreaId>,
    /// Areas whose trigger is counting towards `persist_s`.
    pending: BTreeSet<AreaId>,
    last_tracks: HashMap<AreaId, Vec<TrackReason>>,
    last_t: f64,
}

impl std::fmt::Debug for WarnEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WarnEngine")
            .field("areas", &self.areas.len())
            .field("tracks", &self.held.len())
            .field("on", &self.on.len())
            .field("routes", &self.routes.len())
            .field("ends", &self.ends.len())
            .finish()
    }
}

/// Time to shelter of an area, with the default for nonsense values.
///
/// # Units
/// Seconds.
fn tts(a: &skywatch_areas::Area) -> f64 {
    let s = a.time_to_shelter_s;
    if s.is_finite() && s >= 0.0 {
        s
    } else {
        DEFAULT_TIME_TO_SHELTER_S
    }
}

impl WarnEngine {
    /// A new engine over a set of areas (may be empty: nothing is ever warned).
    pub fn new(config: WarnConfig, areas: Arc<AreaSet>) -> Result<WarnEngine, WarnError> {
        config.validate()?;
        let predictor = Predictor::new(config.predict.clone(), &areas);
        Ok(WarnEngine {
            routes: RouteMemory::new(config.routes.clone()),
            ends: EndMemory::default(),
            predictor,
            machines: vec![AreaMachine::default(); areas.len()],
            cfg: config,
            areas,
            headings: HashMap::new(),
            orbit_samples: HashMap::new(),
            legs: HashMap::new(),
            held: BTreeMap::new(),
            born: HashMap::new(),
            on: BTreeSet::new(),
            pending: BTreeSet::new(),
            last_tracks: HashMap::new(),
            last_t: f64::NEG_INFINITY,
        })
    }

    /// The configuration in use.
    pub fn config(&self) -> &WarnConfig {
        &self.cfg
    }

    /// The areas.
    pub fn areas(&self) -> &Arc<AreaSet> {
        &self.areas
    }

    /// Latest prediction of every track held (reported or coasting), by track id.
    pub fn predictions(&self) -> impl Iterator<Item = &TrackPrediction> {
        self.held.values().map(|h| &h.pred)
    }

    /// Codes of the areas currently on, in area order.
    pub fn active(&self) -> impl Iterator<Item = &str> {
        self.on.iter().map(|a| &*self.areas.get(*a).code)
    }

    /// Net heading change rate over the history window, for corridor widening, rad/s.
    fn turn_activity(&mut self, t: f64, id: u64, heading: Option<f64>) -> f64 {
        let c = &self.cfg.predict;
        if !c.turn_history {
            return 0.0;
        }
        let h = self.headings.entry(id).or_default();
        if let Some(hd) = heading {
            h.push_back((t, hd));
        }
        while h.front().is_some_and(|(t0, _)| t - t0 > c.turn_history_s) {
            h.pop_front();
        }
        match (h.front(), h.back()) {
            (Some(&(t0, h0)), Some(&(t1, h1))) if t1 - t0 >= 10.0 => {
                c.turn_history_gain * angle_diff_rad(h1, h0).abs() / (t1 - t0)
            }
            _ => 0.0,
        }
    }

    /// The mean turn rate of a track that is circling (`PredictConfig::orbits`), rad/s
    /// (positive clockwise seen from above, as headings grow), or `None`.
    fn orbit_rate(&mut self, t: f64, id: u64, heading: Option<f64>) -> Option<f64> {
        let c = &self.cfg.predict;
        if !c.orbits {
            return None;
        }
        let h = self.orbit_samples.entry(id).or_default();
        if let Some(hd) = heading
            && h.back().is_none_or(|&(t1, _)| t - t1 >= LEG_SAMPLE_S)
        {
            h.push_back((t, hd));
        }
        while h.front().is_some_and(|&(t0, _)| t - t0 > c.orbit_window_s) {
            h.pop_front();
        }
        let (first, last) = (h.front()?.0, h.back()?.0);
        let turns = || {
            h.iter()
                .zip(h.iter().skip(1))
                .map(|(a, b)| angle_diff_rad(b.1, a.1))
        };
        let total: f64 = turns().sum();
        // A sample turning "the same way" turns by at least 2° in that sense: heading
        // noise on a straight leg goes either way.
        let same = turns().filter(|d| d * total.signum() > 0.035).count();
        (total.abs() >= c.orbit_min_turn_deg.to_radians()
            && 4 * same >= 3 * (h.len() - 1)
            && last > first)
            .then(|| total / (last - first))
    }

    /// Rate of unseen waypoint turns of a track, from the turns it has been seen to
    /// make and the prior mean leg, 1/s.
    fn turn_hazard(&mut self, t: f64, id: u64, heading: Option<f64>) -> f64 {
        let c = &self.cfg.predict;
        let l = match (self.legs.get_mut(&id), heading) {
            (Some(l), Some(h)) => {
                if t - l.last.0 >= LEG_SAMPLE_S {
                    let d = angle_diff_rad(h, l.last.1).abs();
                    if d > LEG_NOISE_RAD {
                        l.turned_rad += d;
                    }
                    l.seen_s += t - l.last.0;
                    l.last = (t, h);
                }
                *l
            }
            (None, Some(h)) => *self.legs.entry(id).or_insert(Legs {
                last: (t, h),
                turned_rad: 0.0,
                seen_s: 0.0,
            }),
            (Some(l), None) => *l,
            (None, None) => Legs {
                last: (t, 0.0),
                turned_rad: 0.0,
                seen_s: 0.0,
            },
        };
        let turns = l.turned_rad / c.leg_turn_unit_deg.to_radians();
        (turns + c.leg_prior_turns) / (l.seen_s + c.leg_prior_turns * c.mean_leg_s)
    }

    fn predict_tracks(&mut self, t: f64, tracks: &[TrackSnapshot]) {
        // Every track's path point first, predictions after: the route index is then
        // rebuilt at most once per step, not once per re-predicted track (which cost
        // seconds per step at mass-wave load every `record_every_s`).
        if self.cfg.routes.enabled {
            for s in tracks {
                if crate::threat_probability(s, &self.cfg.threat)
                    .is_some_and(|p| p >= self.cfg.routes.p_threat_min)
                {
                    let e = &s.estimate;
                    self.routes.record(t, e.id, e.pos.lat_deg, e.pos.lon_deg);
                }
            }
        }
        if self.cfg.ends.enabled {
            self.note_ends(t, tracks);
        }
        // Which tracks need a new corridor: new ones always, then the most out of date
        // (a changed heading, turn or speed counts as `repredict_s` of extra age), up
        // to the per-step budget; the others keep their corridor, aged, one more step.
        let mut due: Vec<Due> = Vec::new();
        let mut born = HashMap::with_capacity(tracks.len());
        for (i, s) in tracks.iter().enumerate() {
            let id = s.estimate.id;
            // A track back after a gap (coasting here meanwhile) keeps its first time.
            let first = self
                .born
                .get(&id)
                .or(self.held.get(&id).map(|h| &h.born_t))
                .copied()
                .unwrap_or(t);
            born.insert(id, first);
            let Some(p_threat) = crate::threat_probability(s, &self.cfg.threat) else {
                // Still reported, but no longer a possible threat (identified as an
                // aircraft or a bird, or its threat probability fell): its corridor
                // goes now. Coasting is for tracks the sensors lost, not for tracks
                // the tracker has explained.
                self.held.remove(&id);
                continue;
            };
            let e = &s.estimate;
            let speed = e.vel.horizontal_speed();
            let heading = (speed >= MIN_HEADING_SPEED_M_S).then(|| e.vel.ve.atan2(e.vel.vn));
            let extra = self.turn_activity(t, e.id, heading);
            let hazard = self.turn_hazard(t, e.id, heading);
            let orbit = self.orbit_rate(t, e.id, heading);
            let basis = (heading, s.turn_rate, s.p_manoeuvre, speed);
            // Re-predicting every track every second is the engine's main cost; a
            // corridor a few seconds old, aged by its ETAs, is as good while the track
            // flies as predicted.
            let urgency = match self.held.get_mut(&e.id) {
                Some(h) => {
                    h.seen_t = t;
                    h.last_pos = (e.pos.lat_deg, e.pos.lon_deg, speed);
                    h.uncovered = !s.in_coverage;
                    h.pred.p_threat = p_threat;
                    let age = t - h.pred.t;
                    let same = similar(h.basis, basis);
                    let repredict = self.cfg.predict.repredict_s;
                    (age >= repredict || !same).then_some(age + if same { 0.0 } else { repredict })
                }
                None => Some(f64::INFINITY),
            };
            if let Some(urgency) = urgency {
                due.push(Due {
                    urgency,
                    i,
                    p_threat,
                    extra,
                    hazard,
                    orbit,
                    basis,
                });
            }
        }
        due.sort_by(|a, b| b.urgency.total_cmp(&a.urgency).then(a.i.cmp(&b.i)));
        let budget = self.cfg.predict.max_repredict_per_step;
        for (k, d) in due.into_iter().enumerate() {
            if k >= budget && d.urgency.is_finite() {
                break;
            }
            let s = &tracks[d.i];
            let e = &s.estimate;
            let (heading, speed, orbit) = (d.basis.0, d.basis.3, d.orbit);
            // An orbiting track keeps circling; the wave's route is not its path now.
            let guides = match heading {
                Some(h) if self.cfg.routes.enabled && orbit.is_none() => {
                    let max_len = speed.min(self.cfg.predict.max_speed_m_s)
                        * self.cfg.predict.horizon_s
                        * 1.3
                        + self.cfg.routes.gate_m;
                    self.routes
                        .guides(t, e.id, e.pos.lat_deg, e.pos.lon_deg, h, max_len)
                }
                _ => Vec::new(),
            };
            let ec = &self.cfg.ends;
            let end_points = if ec.enabled {
                let reach = speed.min(self.cfg.predict.max_speed_m_s) * self.cfg.predict.horizon_s;
                self.ends
                    .near(e.pos.lat_deg, e.pos.lon_deg, reach + ec.radius_m)
            } else {
                Vec::new()
            };
            let mut pred = self.predictor.predict(
                &self.areas,
                s,
                d.p_threat,
                d.extra,
                d.hazard,
                orbit,
                &guides,
                self.cfg.routes.weight,
                Ends {
                    points: &end_points,
                    radius_m: ec.radius_m,
                    p_end: ec.p_end,
                },
            );
            if !pred.t.is_finite() {
                pred.t = t;
            }
            self.held.insert(
                e.id,
                Held {
                    pred,
                    seen_t: t,
                    born_t: born[&e.id],
                    basis: d.basis,
                    last_pos: (e.pos.lat_deg, e.pos.lon_deg, speed),
                    uncovered: !s.in_coverage,
                },
            );
        }
        self.born = born;
        // A lost track coasts for `coast_s`, but no longer than it had been seen: a
        // drone tracked for minutes that enters a coverage gap is still coming, a track
        // that lived two seconds was most likely never anything.
        // One lost out of coverage coasts longer: nothing will see it come.
        let pc = &self.cfg.policy;
        self.held.retain(|_, h| {
            let coast = if h.uncovered {
                pc.uncovered_coast_s
            } else {
                pc.coast_s
            };
            t - h.seen_t <= coast.min(h.seen_t - h.born_t)
        });
        let held = &self.held;
        self.headings.retain(|id, _| held.contains_key(id));
        self.orbit_samples.retain(|id, _| held.contains_key(id));
        self.legs.retain(|id, _| held.contains_key(id));
        self.routes.prune(t);
    }

    /// Feeds the end-point memory: threat tracks reported last step and not now are
    /// losses; tracks reported now may take a loss up (a gap, not an end).
    fn note_ends(&mut self, t: f64, tracks: &[TrackSnapshot]) {
        let ec = &self.cfg.ends;
        let now: BTreeSet<u64> = tracks.iter().map(|s| s.estimate.id).collect();
        let mut lost: Vec<u64> = self
            .born
            .keys()
            .copied()
            .filter(|id| !now.contains(id))
            .collect();
        lost.sort_unstable();
        for id in lost {
            if let Some(h) = self.held.get(&id) {
                let (lat, lon, speed) = h.last_pos;
                // Lost out of coverage is no end: it flew on where nobody listens.
                if !h.uncovered
                    && h.seen_t - h.born_t >= ec.min_seen_s
                    && speed >= ec.min_speed_m_s
                    && h.pred.p_threat >= ec.p_threat_min
                {
                    self.ends.lost(id, h.seen_t, lat, lon, speed);
                }
            }
        }
        for s in tracks {
            let id = s.estimate.id;
            let new = !self.born.contains_key(&id) && !self.held.contains_key(&id);
            let p = &s.estimate.pos;
            self.ends.seen(ec, id, new, t, p.lat_deg, p.lon_deg);
        }
        self.ends.advance(ec, t);
    }

    fn aggregate(&self, t: f64) -> BTreeMap<AreaId, Agg> {
        let pc = &self.cfg.policy;
        let mut aggs: BTreeMap<AreaId, Agg> = BTreeMap::new();
        for h in self.held.values() {
            let coasting = h.seen_t < t;
            let age = (t - h.pred.t).max(0.0);
            for ap in &h.pred.areas {
                let shelter = tts(self.areas.get(ap.area));
                let window = shelter + pc.lead_budget_s;
                let inside = ap.inside_now && !coasting;
                // Entries the prediction placed more than a passage ago are behind a
                // long-coasting track (one lost out of coverage): its drone has been
                // and gone. Tracks reported now have age ~0, and ETAs are not negative.
                let gone = age - PASSAGE_S;
                let p_keep = h.pred.p_threat * ap.p_between(gone, window * pc.keep_factor + age);
                if p_keep <= 0.0 {
                    continue;
                }
                let agg = aggs.entry(ap.area).or_insert(Agg {
                    q_on: [1.0; RAMP_POINTS],
                    q_firm: [1.0; RAMP_POINTS],
                    q_keep: 1.0,
                    ..Agg::default()
                });
                let established = h.seen_t - h.born_t >= pc.young_track_s;
                let triggers = pc.coast_triggers || !coasting || h.uncovered;
                let mut p_on = 0.0;
                for k in 0..RAMP_POINTS {
                    let h_k = shelter + ramp(pc.near_s, pc.lead_budget_s, k);
                    p_on = h.pred.p_threat * ap.p_between(gone, h_k + age);
                    if !triggers {
                        continue;
                    }
                    agg.q_on[k] *= 1.0 - p_on;
                    if established {
                        agg.q_firm[k] *= 1.0 - p_on;
                    }
                }
                // `p_on` is now the entry probability over the whole window.
                agg.q_keep *= 1.0 - p_keep;
                agg.inside |= inside;
                if p_keep >= pc.p_reason_min || inside {
                    agg.tracks.push(TrackReason {
                        track: h.pred.track,
                        p_threat: h.pred.p_threat,
                        p_entry: p_on,
                        inside,
                        coasting,
                        route_share: h.pred.route_share,
                        eta: ap.eta_summary(age),
                    });
                }
            }
        }
        for agg in aggs.values_mut() {
            agg.tracks
                .sort_by(|a, b| b.p_entry.total_cmp(&a.p_entry).then(a.track.cmp(&b.track)));
        }
        aggs
    }
}

/// Value `k` of `RAMP_POINTS` evenly spaced from `from` to `to`.
fn ramp(from: f64, to: f64, k: usize) -> f64 {
    from + (to - from) * k as f64 / (RAMP_POINTS - 1) as f64
}

impl WarningPolicy for WarnEngine {
    fn name(&self) -> &'static str {
        "predictive"
    }

    fn explained(&mut self, t: f64, ids: &[u64]) {
        if !t.is_finite() || t < self.last_t {
            return;
        }
        // Neither coasted on nor remembered as a flight that ended here (`ends`): a
        // track the tracker now calls a bird did not vanish. If it is shown again it
        // starts over as a young track.
        for id in ids {
            self.held.remove(id);
            self.born.remove(id);
        }
    }

    fn forecasts(&self) -> Vec<AreaForecast> {
        let t = self.last_t;
        let mut out = Vec::new();
        for (&track, h) in &self.held {
            // A prediction is reused while the track flies as it did: its entries are
            // counted from now (`aggregate` also keeps a coasting track's entries of
            // the last passage; a forecast is of what is still to come).
            let age = (t - h.pred.t).max(0.0);
            for ap in h.pred.areas.iter().filter(|ap| !ap.inside_now) {
                let p_within = FORECAST_WINDOWS_S.map(|w| ap.p_between(age, age + w));
                if p_within.iter().any(|&p| p > 0.0) {
                    out.push(AreaForecast {
                        t,
                        track,
                        area: ap.area,
                        coasting: h.seen_t < t,
                        p_threat: h.pred.p_threat,
                        p_within,
                    });
                }
            }
        }
        out
    }

    fn step(&mut self, t: f64, tracks: &[TrackSnapshot]) -> Vec<AreaChange> {
        if !t.is_finite() || t < self.last_t {
            return Vec::new();
        }
        self.last_t = t;
        self.predict_tracks(t, tracks);
        let mut aggs = self.aggregate(t);
        let pc = &self.cfg.policy;
        let timing = Timing {
            hold_s: pc.hold_s,
            min_on_s: pc.min_on_s,
            min_off_s: pc.min_off_s,
            persist_s: pc.persist_s,
        };
        let candidates: BTreeSet<AreaId> = aggs
            .keys()
            .chain(self.on.iter())
            .chain(self.pending.iter())
            .copied()
            .collect();
        let mut out = Vec::new();
        for a in candidates {
            let agg = aggs.remove(&a);
            let none = [1.0; RAMP_POINTS];
            let (q_on, q_firm, p_keep, inside) =
                agg.as_ref().map_or((none, none, 0.0, false), |g| {
                    (g.q_on, g.q_firm, 1.0 - g.q_keep, g.inside)
                });
            // Imminent entries need `p_on_near`, the farthest `p_on`, linearly between.
            let likely = |q: &[f64; RAMP_POINTS]| {
                (0..RAMP_POINTS).any(|k| 1.0 - q[k] >= ramp(pc.p_on_near, pc.p_on, k))
            };
            let firm = likely(&q_firm);
            let p_on = 1.0 - q_on[RAMP_POINTS - 1];
            // Being inside an area is evidence like any other: a track inside counts
            // with its `p_threat` (its entry probability is 1), so an unknown slow
            // track (a bird) cannot hold an area on by itself.
            let trigger = likely(&q_on);
            let support = p_keep >= pc.p_off;
            let area = self.areas.get(a);
            let window_s = tts(area) + pc.lead_budget_s;
            let machine = &mut self.machines[a.0 as usize];
            let tr = machine.step(t, firm, trigger, support, &timing);
            if machine.is_pending() {
                self.pending.insert(a);
            } else {
                self.pending.remove(&a);
            }
            if let (true, Some(g)) = (support, &agg) {
                self.last_tracks.insert(a, g.tracks.clone());
            }
            match tr {
                Transition::None => {}
                Transition::On => {
                    self.on.insert(a);
                    let tracks = agg.map(|g| g.tracks).unwrap_or_default();
                    let eta_s = tracks
                        .iter()
                        .filter_map(|r| r.eta.map(|e| e.p50_s))
                        .min_by(f64::total_cmp);
                    out.push(AreaChange {
                        change: AlertChange {
                            t,
                            area: area.code.clone(),
                            on: true,
                            eta_s,
                            tracks: tracks.iter().map(|r| r.track).collect(),
                        },
                        reason: Reason {
                            rule: if inside {
                                Rule::Inside
                            } else {
                                Rule::Predicted
                            },
                            p_entry: p_on,
                            window_s,
                            tracks,
                        },
                    });
                }
                Transition::Off => {
                    self.on.remove(&a);
                    let tracks = self.last_tracks.remove(&a).unwrap_or_default();
                    out.push(AreaChange {
                        change: AlertChange {
                            t,
                            area: area.code.clone(),
                            on: false,
                            eta_s: None,
                            tracks: tracks.iter().map(|r| r.track).collect(),
                        },
                        reason: Reason {
                            rule: Rule::AllClear,
                            p_entry: p_on,
                            window_s,
                            tracks,
                        },
                    });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hazard starts at the prior, falls while the track flies straight, and rises
    /// with each turn it is seen to make; heading noise below 8° is not a turn.
    #[test]
    fn turn_hazard_follows_the_turns_seen() {
        let cfg = WarnConfig::default();
        let c = cfg.predict.clone();
        let mut e = WarnEngine::new(cfg, Arc::new(AreaSet::new(Vec::new()).unwrap())).unwrap();
        let prior = 1.0 / c.mean_leg_s;
        assert!((e.turn_hazard(0.0, 1, Some(0.0)) - prior).abs() < 1e-12);
        // 600 s straight, with ±3° noise.
        let mut h = 0.0;
        for k in 1..=60 {
            let noise = if k % 2 == 0 { 0.05 } else { -0.05 };
            h = e.turn_hazard(10.0 * k as f64, 1, Some(noise));
        }
        let expect = c.leg_prior_turns / (600.0 + c.leg_prior_turns * c.mean_leg_s);
        assert!((h - expect).abs() < 1e-12, "{h} vs {expect}");
        // Two turns of about 90° over the next 20 s (from the last sample's +0.05 rad).
        e.turn_hazard(610.0, 1, Some(std::f64::consts::FRAC_PI_2));
        let h2 = e.turn_hazard(620.0, 1, Some(std::f64::consts::PI));
        let turns = (std::f64::consts::PI - 0.05) / c.leg_turn_unit_deg.to_radians();
        let expect = (turns + c.leg_prior_turns) / (620.0 + c.leg_prior_turns * c.mean_leg_s);
        assert!((h2 - expect).abs() < 1e-9, "{h2} vs {expect}");
        // A track without a heading (hovering) keeps its record.
        assert_eq!(e.turn_hazard(630.0, 1, None), h2);
    }

    /// Circling is an orbit, with its rate; waypoint turns are not, even three of them
    /// the same way (300° in five minutes, but between straight legs), nor is a zigzag.
    #[test]
    fn orbits_are_sustained_turns_one_way() {
        let mut cfg = WarnConfig::default();
        cfg.predict.orbits = true;
        let mut e = WarnEngine::new(cfg, Arc::new(AreaSet::new(Vec::new()).unwrap())).unwrap();
        let tau = std::f64::consts::TAU;
        // 2 km circle at 50 m/s, anticlockwise (heading falls), with ±2° noise; one
        // snapshot a second.
        let w = -0.025;
        let mut rate = None;
        for k in 0..=300 {
            let t = k as f64;
            let noise = if k % 2 == 0 { 0.035 } else { -0.035 };
            rate = e.orbit_rate(t, 1, Some((w * t + noise).rem_euclid(tau)));
            if k < 180 {
                assert_eq!(rate, None, "at {t} s, turned {:.0}°", (w * t).to_degrees());
            }
        }
        let rate = rate.expect("an orbit after five minutes");
        assert!((rate - w).abs() < 0.002, "{rate}");
        // Three 100° right turns in 20 s each, 80 s straight between them.
        let heading = |t: f64| {
            let (lap, r) = ((t / 100.0).floor(), t % 100.0);
            (lap * 100.0 + 5.0 * r.min(20.0)).to_radians()
        };
        for k in 0..=300 {
            assert_eq!(e.orbit_rate(k as f64, 2, Some(heading(k as f64))), None);
        }
        // Zigzag: ±60° every 30 s.
        for k in 0..=300 {
            let h = if (k / 30) % 2 == 0 { 1.0 } else { -1.0 };
            assert_eq!(e.orbit_rate(k as f64, 3, Some(h)), None);
        }
    }
}
