//! Scenario simulator: objects on routes, imperfect sensors, truth and labels.
//! Deterministic for a seed.
//!
//! [`Spec`] (TOML) plus a seed → a `skywatch-scenario/1` directory
//! (`docs/scenario-v1.md`): `scenario.json`, `reports.jsonl` in `rx` order,
//! `labels.jsonl`, `truth.jsonl` at 1 Hz, and optionally `areas.geojson`.
//!
//! # What is simulated
//!
//! Figures are orders of magnitude from `field-facts.md` (shared reference) unless
//! said otherwise.
//!
//! **Objects.**
//! - *Drones and decoys* (one-way attack drones of the Shahed/Geran class, 42–55 m/s,
//!   50–3000 m): waypoint routes flown with fly-by coordinated turns. The turn rate is
//!   limited by bank, `ω = g·tan(25°)/v` (≈5.6°/s at 48 m/s), reached through a finite
//!   roll rate; speed and height wander as Ornstein–Uhlenbeck processes (≈1 m/s, ≈8 m),
//!   heading as a small random walk. Decoys fly exactly like drones (waves mix them) but
//!   carry reflectors (larger RCS).
//! - *Waves*: many drones from a few launch points, launched in staggered slots, along a
//!   shared corridor (`via`) or fanned out, with random dog-legs, towards targets.
//! - *Civil aircraft*: departures climb from a runway to a gate, arrivals descend from a
//!   gate via a top-of-descent and a final approach fix, overflights cruise gate to
//!   gate; speed follows altitude (80 → 230 m/s). Traffic starts 40 minutes before
//!   `t = 0` so the sky is already busy. All broadcast ADS-B (ICAO in the Korean block
//!   `71xxxx`).
//! - *Birds*: 8–20 m/s, 20–300 m, meandering within a flock radius; radar clutter with a
//!   truth id (class `bird`), silent to acoustic nodes.
//!
//! **Sensors.**
//! - *Radars*: a rotating beam; a target is plotted when the beam passes its azimuth
//!   (solved per second from the unwrapped beam-minus-target angle). Detection needs
//!   range ≤ instrumented range, ground range within the 4/3-earth radar horizon
//!   (`skywatch_geo::radar_horizon_m`, heights taken above the ellipsoid) and a
//!   Swerling-1 draw `Pd = Pfa^(1/(1+SNR))`, `Pfa = 1e-6`, SNR ∝ σ/R⁴ scaled by the
//!   radar's `r50_1m2_m`. Gaussian noise on range/azimuth/elevation; 2D radars give no
//!   elevation. Poisson clutter plots where the beam points, denser at short range.
//!   Latency: a few hundred ms.
//! - *Acoustic nodes* (a phone and a microphone on a pole, as the Ukrainian "Sky
//!   Fortress"): grids with jitter, on land only; ≈2.5 km detection radius for drones
//!   (aircraft ×2), Pd fading to the edge, at most one bearing per second per target
//!   with a per-node noise of 3–5° and coarse elevation; false bearings (Poisson per
//!   node), dead nodes, and on/off dropouts (alternating exponential periods); 5% of
//!   reports arrive 2–6 s late.
//! - *Observers* (people with phones, as the "ePPO" app): a report rate per drone over
//!   land; the observer stands 0.3–2 km from it, points with 10–30° error, the report
//!   arrives 5–60 s later with the observer's GPS position inline and a class hint that
//!   is sometimes wrong; low aircraft are reported too (often as drones); fake reports
//!   with nothing there.
//! - *ADS-B receivers*: 1 Hz per aircraft in range and above the horizon, 5% lost,
//!   position error of a few metres, 25 ft altitude steps, callsign and velocity.
//!
//! # Spec
//!
//! [`Spec`] and the types in [`spec`] document every field with its unit and default.
//! `scenarios/ci-small.toml` is a complete small example (a few drones, two radars, an
//! acoustic grid, observers, ADS-B, birds); `scenarios/dmz-incursion.toml` and
//! `scenarios/mass-wave.toml` are the shipped large ones.
//!
//! # Determinism
//!
//! Same spec and seed give byte-identical files. Every draw comes from a ChaCha8
//! stream keyed by `(seed, purpose, stable ids, second)` (see [`rng`]), so a report's
//! randomness does not depend on the order in which objects or sensors are visited,
//! nor on which other objects exist. Numbers are rounded to what they mean (7 decimals
//! of a degree, 0.1 m, 0.001–0.1°, 1 ms). The clock is never read.
//!
//! # Streaming
//!
//! The loop advances all objects one second, writes their truth, lets every sensor look
//! at that second and then releases the buffered reports that nothing can overtake any
//! more ([`emit`]). Memory is bounded by the objects and the reports in flight, not by
//! the length of the scenario.

pub mod emit;
pub mod motion;
pub mod rng;
mod run;
pub mod scene;
pub mod spec;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use emit::Counts;
pub use spec::Spec;

/// What went wrong in a simulation.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("spec: {0}")]
    Spec(Box<toml::de::Error>),
    #[error("spec: {0}")]
    Invalid(String),
    #[error(transparent)]
    Scenario(#[from] skywatch_scenario::Error),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl SimError {
    fn io(path: &Path, source: std::io::Error) -> SimError {
        SimError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Receives progress of a run. All methods have empty defaults.
///
/// The library never prints; a command-line tool draws a bar from these calls.
pub trait Progress {
    /// Called once before the first second; `duration_s` is the scenario length.
    fn start(&mut self, _duration_s: f64) {}
    /// Called after each simulated second with the scenario time reached and the number
    /// of reports written so far.
    fn advance(&mut self, _t_s: f64, _reports_written: u64) {}
    /// Called once when all files are complete.
    fn finish(&mut self) {}
}

/// A [`Progress`] that ignores everything.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {}

/// What a run produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub counts: Counts,
    pub truth_lines: u64,
    /// Objects that appear in the scenario, by truth class.
    pub objects_by_class: BTreeMap<&'static str, u64>,
    /// Fixed sensors in `scenario.json`.
    pub sensors: usize,
}

/// Simulates `spec` with `seed` into the directory `out` (created if missing; existing
/// scenario files in it are overwritten).
pub fn generate(
    spec: &Spec,
    seed: u64,
    out: &Path,
    progress: &mut dyn Progress,
) -> Result<Summary, SimError> {
    run::run(spec, seed, out, progress)
}

#[cfg(test)]
mod tests;
