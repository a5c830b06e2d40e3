//! Warning engine: threat prediction and per-area warning policy. Pure: no IO, no
//! clock, deterministic.
//!
//! # Use
//! Build a policy once ([`WarnEngine::new`] for the predictive engine, or one of the
//! baselines [`ProvincePolicy`] / [`RadiusPolicy`], or any of them through
//! [`build_policy`]), then call [`WarningPolicy::step`] once per second, in time order,
//! with every track the tracker currently holds. Each call returns the areas that
//! switched on or off at that time, each with the [`Reason`] it switched.
//!
//! # Design
//! * **Prediction** ([`predict`]): each possible threat is propagated over a horizon by a
//!   fixed Latin-hypercube sample set drawn through the snapshot's covariance, turn rate
//!   and manoeuvre probability: a mix of nearly-constant-velocity and time-limited
//!   coordinated-turn samples, each with one unseen waypoint turn at an exponentially
//!   distributed time. The turn hazard is the track's own: the turns it has been seen
//!   to make over the time it has been seen, with a prior mean leg (10 min), so a drone
//!   that meanders gets a corridor that fans out sooner than one on a long straight
//!   leg. (A continuous heading drift and a turn-history widening are still there,
//!   off by default: the hazard replaced them, measured in `bench/RESULTS.md`.)
//!   Samples are looked up in a lazily built area grid, so the cost grows with the
//!   areas the corridor crosses, not with the number of areas.
//! * **Route learning** ([`routes`]): the engine keeps a bounded memory of the paths
//!   threats flew; a follower whose position and heading match paths flown earlier is
//!   predicted, for a share of its samples, to fly the rest of them, but only when at
//!   least two such leader paths agree on where they go. Trusting any single leader
//!   cost a timely warning per wave with real tracks on the shipped waves, whose
//!   drones fly their own dog-legs.
//! * **End points** (`ends`): where threat tracks followed for a minute or more
//!   vanished and no new track took their flight up within 5 min (a gap is taken up
//!   further along; a drone that dived on its aim point is not). A follower's corridor
//!   sample that comes within 1.5 km of such a point ends there with probability 0.5,
//!   so the districts beyond a wave's aim points are not warned as if it flew on.
//! * **Policy** ([`policy`]): per area, probabilities from several tracks merge as
//!   independent events. The area goes on when entry is likely enough for how soon it
//!   is: the threshold ramps from `p_on_near` for entries within the time to shelter
//!   plus `near_s` (a warning that cannot wait) to `p_on` for entries as far as the time
//!   to shelter plus `lead_budget_s` (an early warning must be nearly sure, since
//!   waypoint turns nobody has seen yet make far entries doubtful). A track inside an
//!   area counts with its threat probability, like any other evidence. Kept on above
//!   `p_off` over the same window, all-clear after a hold time; minimum on and off
//!   durations stop flapping. Evidence that needs tracks seen for less than
//!   `young_track_s` must persist for `persist_s` before it warns (a bird's or a ghost's
//!   first seconds); established tracks warn at once. A lost track coasts on its last
//!   prediction for `coast_s`, but no longer than it was seen, and only keeps areas on
//!   (a drone that ended on its aim point is lost like one in a gap, so a lost track
//!   raises no new warning); a track the tracker
//!   identifies as an aircraft or a bird loses its corridor at once, and so does one it
//!   stops showing because it hides it as a bird ([`WarningPolicy::explained`]): it was
//!   explained, not lost, and leaves no end point.
//! * **Baselines** ([`naive`]): whole province within 20 km, every area within 30 km.
//! * **Perfect tracks** ([`perfect`]): snapshots from ground truth, to separate tracking
//!   errors from policy errors.

pub mod config;
mod ends;
mod engine;
mod grid;
pub mod naive;
pub mod perfect;
pub mod policy;
pub mod predict;
pub mod routes;

use std::str::FromStr;
use std::sync::Arc;

use skywatch_areas::AreaSet;
use skywatch_model::{AlertChange, Class, TrackSnapshot};

pub use config::{
    BaselineConfig, EndConfig, PolicyConfig, PredictConfig, RouteConfig, ThreatFilterConfig,
    WarnConfig,
};
pub use engine::WarnEngine;
pub use naive::{ProvincePolicy, RadiusPolicy};
pub use perfect::{PerfectConfig, PerfectTracks};

/// Errors of this crate (bad configuration or area data; never bad track input, which is
/// skipped).
#[derive(Debug, thiserror::Error)]
pub enum WarnError {
    #[error("warn config: {field}: {what}")]
    Config {
        field: &'static str,
        what: &'static str,
    },
    #[error("unknown warning policy {0:?} (expected predictive, province or radius)")]
    UnknownPolicy(String),
}

/// Which rule switched an area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Predicted entry probability within the warning window reached `p_on`.
    Predicted,
    /// A threat is inside the area.
    Inside,
    /// Nothing supported the warning for the hold time: all-clear.
    AllClear,
    /// Baseline: a threat is in the province or within its margin.
    Province,
    /// Baseline: a threat is within the radius of the area.
    Radius,
}

impl Rule {
    /// Lower-case name for logs and files.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Predicted => "predicted",
            Rule::Inside => "inside",
            Rule::AllClear => "all_clear",
            Rule::Province => "province",
            Rule::Radius => "radius",
        }
    }
}

/// Summary of a predicted time of arrival distribution.
///
/// # Units
/// Seconds from the time of the step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EtaSummary {
    pub min_s: f64,
    pub p10_s: f64,
    pub p50_s: f64,
    pub p90_s: f64,
}

/// One track's part in an area's state.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackReason {
    pub track: u64,
    /// The track's threat probability (0 to 1).
    pub p_threat: f64,
    /// Probability (including `p_threat`) that this track enters the area within the
    /// warning window (0 to 1).
    pub p_entry: f64,
    /// The track is inside the area now.
    pub inside: bool,
    /// The track is no longer reported; its last prediction is used.
    pub coasting: bool,
    /// Share of the track's samples that followed a learned route (0 to 1).
    pub route_share: f64,
    /// ETA distribution of the samples entering within the prediction horizon.
    pub eta: Option<EtaSummary>,
}

/// Why an area changed state.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    pub rule: Rule,
    /// Merged probability of entry within the warning window (0 to 1).
    pub p_entry: f64,
    /// The area's warning window: time to shelter plus lead budget, seconds.
    pub window_s: f64,
    /// Contributing tracks, most probable first. For an all-clear, the tracks that last
    /// supported the warning.
    pub tracks: Vec<TrackReason>,
}

/// One area switching on or off, with why.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaChange {
    pub change: AlertChange,
    pub reason: Reason,
}

/// Windows of [`AreaForecast::p_within`], seconds from the forecast's time.
pub const FORECAST_WINDOWS_S: [f64; 4] = [60.0, 120.0, 180.0, 300.0];

/// What a policy that predicts believes of one track and one area at one time: the
/// probability that the track's object enters the area within each of
/// [`FORECAST_WINDOWS_S`], not counting the track's threat probability (which is given
/// beside it). For checking that these probabilities mean what they say
/// (`skywatch replay --forecasts`, `bench/warn/reliability.py`).
///
/// # Units
/// Seconds since the epoch; probabilities 0 to 1.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaForecast {
    pub t: f64,
    pub track: u64,
    pub area: skywatch_areas::AreaId,
    /// The tracker no longer reports the track: the forecast is its last prediction
    /// carried on.
    pub coasting: bool,
    pub p_threat: f64,
    pub p_within: [f64; FORECAST_WINDOWS_S.len()],
}

/// A warning policy: the predictive engine or a baseline. Same output type, so a scorer
/// can compare them on one run.
pub trait WarningPolicy {
    /// Short name ("predictive", "province", "radius").
    fn name(&self) -> &'static str;

    /// Advances to time `t` (seconds since the epoch, called in increasing time order,
    /// typically once per second) with every current track; returns the areas that
    /// switched, ordered by area index. Calls with a non-finite or earlier `t` than the
    /// previous call change nothing and return nothing.
    fn step(&mut self, t: f64, tracks: &[TrackSnapshot]) -> Vec<AreaChange>;

    /// Tracks the tracker still holds at `t` but no longer shows because it now
    /// explains them as no threat (birds it is sure enough of to hide). Called before
    /// [`WarningPolicy::step`] at the same `t`. A policy that keeps predicting tracks
    /// that vanish (a drone lost in a coverage gap flies on) must let these go at once:
    /// they were not lost, and an operator no longer sees them. By default nothing
    /// (policies that hold no vanished track).
    fn explained(&mut self, _t: f64, _ids: &[u64]) {}

    /// The entry probabilities behind the last [`WarningPolicy::step`], at its time:
    /// every track held and every area it may enter within the longest forecast window
    /// and is not inside now. By default none (the baselines predict nothing).
    fn forecasts(&self) -> Vec<AreaForecast> {
        Vec::new()
    }
}

/// The available policies, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    Predictive,
    Province,
    Radius,
}

impl FromStr for PolicyKind {
    type Err = WarnError;
    fn from_str(s: &str) -> Result<Self, WarnError> {
        match s {
            "predictive" => Ok(PolicyKind::Predictive),
            "province" => Ok(PolicyKind::Province),
            "radius" => Ok(PolicyKind::Radius),
            other => Err(WarnError::UnknownPolicy(other.to_string())),
        }
    }
}

/// Builds a policy by kind. `Province` uses the embedded Korean provinces.
pub fn build_policy(
    kind: PolicyKind,
    config: WarnConfig,
    areas: Arc<AreaSet>,
) -> Result<Box<dyn WarningPolicy + Send>, WarnError> {
    Ok(match kind {
        PolicyKind::Predictive => Box::new(WarnEngine::new(config, areas)?),
        PolicyKind::Province => Box::new(ProvincePolicy::new(
            config,
            areas,
            Arc::new(AreaSet::korea_provinces()),
        )?),
        PolicyKind::Radius => Box::new(RadiusPolicy::new(config, areas)?),
    })
}

/// Whether a snapshot may be a threat: not cooperative (no ICAO address), not
/// confidently an aircraft or a bird, `p_threat` at least the minimum, and a finite
/// state. Returns the threat probability to use.
pub fn threat_probability(s: &TrackSnapshot, cfg: &ThreatFilterConfig) -> Option<f64> {
    let e = &s.estimate;
    if e.icao.is_some() {
        return None;
    }
    if matches!(e.class, Class::Aircraft | Class::Bird)
        && e.class_confidence >= cfg.class_confidence_exempt
    {
        return None;
    }
    let p = s.p_threat;
    if !p.is_finite() || p < cfg.p_threat_min || p <= 0.0 {
        return None;
    }
    let finite = e.pos.lat_deg.is_finite()
        && e.pos.lon_deg.is_finite()
        && e.vel.vn.is_finite()
        && e.vel.ve.is_finite()
        && e.pos.lat_deg.abs() <= 89.0;
    finite.then_some(p.min(1.0))
}
