//! Scorer: GOSPA, ID switches, warning figures, exactly as the scenario spec defines them
//! (`docs/scenario-v1.md`, "Scoring definitions"), and plots.
//!
//! Layers, from pure to IO:
//! - [`gospa_step`]: GOSPA (p = 2, α = 2) of two point sets at one time.
//! - [`TrackingAccumulator`]: GOSPA means, parts and ID switches over steps.
//! - [`extract_incursions`], [`alert_intervals`], [`score_warnings`]: warning figures
//!   from in-memory truth paths, alert lines and areas.
//! - [`LoadedRun`] / [`score_run`]: the same from a scenario directory and a run
//!   directory. Reports are streamed (only `t` and `rx` are parsed, beside the labels);
//!   truth and tracks are held in memory, indexed by object and by whole second.
//! - [`plot::render`]: a picture of a scored run (PNG or SVG).
//!
//! **Invariant:** reads only files a run and a scenario contain; knows nothing of how
//! tracks were made.

mod gospa;
pub mod plot;
mod tracking;
mod truth;
mod warning;

pub use gospa::{GospaStep, Point2, gospa_step};
pub use tracking::{StepFigures, TrackingAccumulator, TrackingScore};
pub use truth::{ObjectPath, Observability, TruthPoint, read_truth};
pub use warning::{
    AlertInterval, Incursion, IncursionOutcome, Occupancy, WarningScore, alert_intervals,
    extract_incursions, score_warnings,
};

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;
use skywatch_areas::AreaSet;
use skywatch_geo::{Geodetic, LocalFrame};
use skywatch_model::TruthClass;
use skywatch_scenario::{AlertRecord, JsonlReader, ScenarioDir, TrackRecord, files};

/// GOSPA cut-off of the spec.
///
/// # Units
/// Metres.
pub const GOSPA_C_M: f64 = 1000.0;

/// Longest scenario scored (30 days): per-second tables are held in memory.
///
/// # Units
/// Seconds.
pub const MAX_DURATION_S: f64 = 30.0 * 86_400.0;

/// How to score. The defaults are the spec's; other values are for experiments only and
/// make figures incomparable with anyone else's.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreConfig {
    /// GOSPA cut-off c.
    ///
    /// # Units
    /// Metres.
    pub c_m: f64,
}

impl Default for ScoreConfig {
    fn default() -> Self {
        ScoreConfig { c_m: GOSPA_C_M }
    }
}

/// Why a run could not be scored.
#[derive(Debug, thiserror::Error)]
pub enum ScoreError {
    #[error(transparent)]
    Scenario(#[from] skywatch_scenario::Error),
    #[error("{}: {source}", path.display())]
    Areas {
        path: PathBuf,
        source: skywatch_areas::AreaError,
    },
    #[error("{}: no such file (the scorer needs the scenario's truth)", .0.display())]
    NoTruth(PathBuf),
    #[error("{}: no such file (a run must contain tracks)", .0.display())]
    NoTracks(PathBuf),
    #[error("{}: has a different number of lines than reports.jsonl (they part after line {after})", labels.display())]
    LabelsMismatch { labels: PathBuf, after: u64 },
    #[error("{}: duration {duration_s} s is longer than the scorer handles ({MAX_DURATION_S} s)", path.display())]
    TooLong { path: PathBuf, duration_s: f64 },
    #[error("plot {}: {what}", path.display())]
    Plot { path: PathBuf, what: String },
}

/// Every figure of a scored run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// The scenario's `name`.
    pub scenario: String,
    /// Origin of the ENU frame the figures were computed in, `[lat, lon, alt_m]`.
    pub frame_origin: [f64; 3],
    /// Whether the truth set was restricted to observed objects (the scenario has labels).
    pub labelled: bool,
    pub tracking: TrackingScore,
    /// Present when the run has `alerts.jsonl` and the scenario `areas.geojson`.
    pub warning: Option<WarningScore>,
    /// Lines of `tracks.jsonl` not at a whole second in [0, duration] (not scored).
    pub skipped_track_lines: usize,
    /// Labels naming an object absent from the truth file (ignored).
    pub unknown_labels: usize,
}

/// A scenario and a run, read and indexed for scoring and plotting.
#[derive(Debug)]
pub struct LoadedRun {
    pub name: String,
    /// Number of whole-second steps scored: T = 0, 1, .., steps − 1.
    pub steps: usize,
    /// End of the scenario, closing alerts still on.
    ///
    /// # Units
    /// Seconds.
    pub end_t: f64,
    pub frame: LocalFrame,
    /// Truth objects, sorted by id.
    pub paths: Vec<ObjectPath>,
    /// `None` when the scenario has no labels.
    pub observability: Option<Observability>,
    /// Track ids by key (the key is the index).
    pub track_names: Vec<String>,
    /// Per step, the tracks at that second: (key, (east, north) metres).
    pub tracks_by_step: Vec<Vec<(u64, Point2)>>,
    pub skipped_track_lines: usize,
    pub alerts: Option<Vec<AlertRecord>>,
    pub areas: Option<AreaSet>,
}

impl LoadedRun {
    /// Reads a scenario directory and a run directory.
    pub fn load(scenario: &Path, run: &Path) -> Result<LoadedRun, ScoreError> {
        let dir = ScenarioDir::open(scenario)?;
        if !dir.has(files::TRUTH) {
            return Err(ScoreError::NoTruth(dir.path(files::TRUTH)));
        }
        let paths = read_truth(&dir.path(files::TRUTH))?;
        let last_t = paths
            .iter()
            .filter_map(|p| p.samples.last())
            .map(|s| s.t)
            .fold(0.0f64, f64::max);
        // A scenario without a duration is scored over its truth.
        let end_t = if dir.meta.duration_s > 0.0 {
            dir.meta.duration_s
        } else {
            last_t
        };
        // Per-second tables are allocated up front; refuse durations that would not fit
        // rather than abort on allocation.
        if end_t > MAX_DURATION_S {
            return Err(ScoreError::TooLong {
                path: dir.path(files::SCENARIO),
                duration_s: end_t,
            });
        }
        let steps = end_t.floor() as usize + 1;
        let origin = dir.centre().unwrap_or_else(|| mean_position(&paths));
        let frame = LocalFrame::new(origin);

        let observability = if dir.has(files::LABELS) {
            Some(Observability::read(
                &dir.path(files::REPORTS),
                &dir.path(files::LABELS),
                &paths,
                steps,
            )?)
        } else {
            None
        };

        let tracks_path = run.join(files::TRACKS);
        if !tracks_path.is_file() {
            return Err(ScoreError::NoTracks(tracks_path));
        }
        let mut keys: HashMap<String, u64> = HashMap::new();
        let mut track_names = Vec::new();
        let mut tracks_by_step: Vec<Vec<(u64, Point2)>> = vec![Vec::new(); steps];
        let mut skipped = 0;
        for item in JsonlReader::<TrackRecord>::open(&tracks_path)? {
            let (_, r) = item?;
            let step = r.t.round();
            // Tolerate times written with rounding error; anything else is not a step.
            let in_range = (r.t - step).abs() <= 1e-3 && step >= 0.0 && (step as usize) < steps;
            let finite = r.lat.is_finite() && r.lon.is_finite() && r.alt_m.is_finite();
            if !(in_range && finite) {
                skipped += 1;
                continue;
            }
            let key = *keys.entry(r.id.clone()).or_insert_with(|| {
                track_names.push(r.id.clone());
                track_names.len() as u64 - 1
            });
            let enu = frame.geodetic_to_enu(&r.position());
            tracks_by_step[step as usize].push((key, [enu.x, enu.y]));
        }

        let alerts_path = run.join(files::ALERTS);
        let (alerts, areas) = if alerts_path.is_file() && dir.has(files::AREAS) {
            let mut alerts = Vec::new();
            for item in JsonlReader::<AlertRecord>::open(&alerts_path)? {
                alerts.push(item?.1);
            }
            let areas_path = dir.path(files::AREAS);
            let text = std::fs::read_to_string(&areas_path)
                .map_err(|e| skywatch_scenario::Error::io(&areas_path, e))?;
            let areas = AreaSet::from_geojson(&text).map_err(|source| ScoreError::Areas {
                path: areas_path,
                source,
            })?;
            (Some(alerts), Some(areas))
        } else {
            (None, None)
        };

        Ok(LoadedRun {
            name: dir.meta.name.clone(),
            steps,
            end_t,
            frame,
            paths,
            observability,
            track_names,
            tracks_by_step,
            skipped_track_lines: skipped,
            alerts,
            areas,
        })
    }

    /// (east, north) of a geodetic point in the scoring frame.
    ///
    /// # Units
    /// Degrees/metres in, metres out.
    pub fn to_plane(&self, lat: f64, lon: f64, alt_m: f64) -> Point2 {
        let enu = self.frame.geodetic_to_enu(&Geodetic::new(lat, lon, alt_m));
        [enu.x, enu.y]
    }

    /// The truth set at step T: drones, decoys and aircraft present at T and (with
    /// labels) observed at T, as (index into `paths`, position).
    pub fn truth_at(&self, step: usize) -> Vec<(u64, Point2)> {
        let t = step as f64;
        self.paths
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                matches!(
                    p.class,
                    TruthClass::Drone | TruthClass::Decoy | TruthClass::Aircraft
                )
            })
            .filter(|(i, _)| {
                self.observability
                    .as_ref()
                    .is_none_or(|o| o.observed(*i, step))
            })
            .filter_map(|(i, p)| {
                p.position_at(t)
                    .map(|s| (i as u64, self.to_plane(s.lat, s.lon, s.alt_m)))
            })
            .collect()
    }

    /// Scores the run.
    pub fn score(&self, cfg: &ScoreConfig) -> Score {
        let mut acc = TrackingAccumulator::new(cfg.c_m);
        for (step, tracks) in self.tracks_by_step.iter().enumerate() {
            acc.add_step(step as f64, &self.truth_at(step), tracks);
        }
        let warning = match (&self.alerts, &self.areas) {
            (Some(alerts), Some(areas)) => Some(score_warnings(
                &self.paths,
                self.observability.as_ref().map(|o| &o.first_report_t),
                alerts,
                areas,
                self.end_t,
            )),
            _ => None,
        };
        let o = self.frame.origin();
        Score {
            scenario: self.name.clone(),
            frame_origin: [o.lat_deg, o.lon_deg, o.alt_m],
            labelled: self.observability.is_some(),
            tracking: acc.finish(),
            warning,
            skipped_track_lines: self.skipped_track_lines,
            unknown_labels: self.observability.as_ref().map_or(0, |o| o.unknown_labels),
        }
    }
}

fn mean_position(paths: &[ObjectPath]) -> Geodetic {
    let (mut n, mut lat, mut lon, mut alt) = (0.0, 0.0, 0.0, 0.0);
    for s in paths.iter().flat_map(|p| &p.samples) {
        n += 1.0;
        lat += s.lat;
        lon += s.lon;
        alt += s.alt_m;
    }
    if n == 0.0 {
        return Geodetic::new(0.0, 0.0, 0.0);
    }
    Geodetic::new(lat / n, lon / n, alt / n)
}

/// Scores a run directory against a scenario directory.
pub fn score_run(scenario: &Path, run: &Path, cfg: &ScoreConfig) -> Result<Score, ScoreError> {
    Ok(LoadedRun::load(scenario, run)?.score(cfg))
}

fn opt(v: Option<f64>, scale: f64, unit: &str) -> String {
    v.map_or_else(|| "n/a".to_string(), |x| format!("{:.1}{unit}", x * scale))
}

impl fmt::Display for Score {
    /// A plain-text table of the headline figures (the per-step series and
    /// per-incursion details are only in the JSON form).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = &self.tracking;
        writeln!(
            f,
            "Scenario {:?}: {} steps of 1 s, GOSPA c = {} m, p = 2, alpha = 2",
            self.scenario, t.steps, t.c_m
        )?;
        writeln!(
            f,
            "Tracking{}",
            if self.labelled {
                " (truth = observed objects)"
            } else {
                " (truth = all present objects)"
            }
        )?;
        let rows: [(&str, String); 11] = [
            ("mean GOSPA", format!("{:.1} m", t.mean_gospa_m)),
            (
                "  localisation part (mean)",
                format!("{:.0} m²", t.mean_localisation_sq),
            ),
            (
                "  missed part (mean)",
                format!("{:.0} m²", t.mean_missed_sq),
            ),
            ("  false part (mean)", format!("{:.0} m²", t.mean_false_sq)),
            (
                "RMS distance, assigned",
                format!("{:.1} m", t.rms_distance_m),
            ),
            (
                "mean truth / tracks",
                format!("{:.2} / {:.2}", t.mean_truth, t.mean_tracks),
            ),
            ("mean missed", format!("{:.2}", t.mean_missed)),
            ("mean false", format!("{:.2}", t.mean_false)),
            ("ID switches", t.id_switches.to_string()),
            ("distinct track ids", t.distinct_track_ids.to_string()),
            ("truth objects scored", t.truth_objects.to_string()),
        ];
        for (k, v) in rows {
            writeln!(f, "  {k:<30} {v:>14}")?;
        }
        match &self.warning {
            None => writeln!(
                f,
                "Warning: not scored (needs the run's alerts.jsonl and the scenario's areas.geojson)"
            )?,
            Some(w) => {
                writeln!(f, "Warning")?;
                let pct = |v| opt(v, 100.0, " %");
                let rows: [(&str, String); 16] = [
                    (
                        "incursions (observable)",
                        format!("{} ({})", w.incursions, w.observable_incursions),
                    ),
                    ("warned at entry", w.warned_incursions.to_string()),
                    ("recall", pct(w.recall)),
                    ("recall, observable", pct(w.recall_observable)),
                    ("timely recall", pct(w.timely_recall)),
                    ("median lead", opt(w.median_lead_s, 1.0, " s")),
                    (
                        "median lead / oracle",
                        opt(w.median_lead_over_oracle, 100.0, " %"),
                    ),
                    (
                        "fresh incursions (observable)",
                        format!("{} ({})", w.fresh_incursions, w.fresh_observable_incursions),
                    ),
                    ("fresh timely recall", pct(w.fresh_timely_recall)),
                    (
                        "fresh median lead / oracle",
                        opt(w.fresh_median_lead_over_oracle, 100.0, " %"),
                    ),
                    ("alerts (on intervals)", w.alerts.to_string()),
                    ("areas ever warned", w.areas_warned.to_string()),
                    ("precision", pct(w.precision)),
                    ("justified share of warned time", pct(w.justified_share)),
                    ("warned area-hours", format!("{:.2} h", w.warned_area_hours)),
                    (
                        "alerts for unknown areas",
                        w.alerts_unknown_area.to_string(),
                    ),
                ];
                for (k, v) in rows {
                    writeln!(f, "  {k:<30} {v:>14}")?;
                }
            }
        }
        if self.skipped_track_lines > 0 {
            writeln!(
                f,
                "Note: {} track lines not at a whole second in range were skipped",
                self.skipped_track_lines
            )?;
        }
        if self.unknown_labels > 0 {
            writeln!(
                f,
                "Note: {} labels name objects absent from truth.jsonl",
                self.unknown_labels
            )?;
        }
        Ok(())
    }
}
