//! `skywatch replay`: runs the tracking engine over a recorded scenario, causally.
//!
//! The loop is driven by whole seconds of scenario time: at each second `T` every
//! report with `rx <= T` is ingested, then the engine is asked for its tracks at `T`
//! and the per-second outputs are handed to the writers. A later consumer (the warning
//! engine) hooks in at the same place, on the same snapshots.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use skywatch_areas::AreaSet;
use skywatch_model::{Report, TrackSnapshot};
use skywatch_scenario::{JsonlWriter, ScenarioDir, TrackRecord, files};
use skywatch_track::{Engine, EngineConfig, Rejection};
use skywatch_warn::{PolicyKind, WarnConfig};

use crate::alerts_out::{AlertSummary, AlertsOut};
use crate::truth_feed::TruthFeed;

#[derive(clap::Args)]
pub struct Args {
    /// Scenario directory (scenario.json, reports.jsonl; truth.jsonl/labels.jsonl for
    /// `--perfect-tracks` and the score summary; areas.geojson for warnings).
    pub scenario: PathBuf,
    /// Run directory to write (tracks.jsonl, alerts.jsonl, alert-reasons.jsonl, cap/);
    /// created if missing.
    #[arg(long)]
    pub out: PathBuf,
    /// Engine configuration (TOML, `EngineConfig`); defaults when absent.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Warning areas (GeoJSON FeatureCollection with a `code` property), or
    /// `kr-municipalities` for the embedded set. Default: the scenario's
    /// `areas.geojson`; without either, no warnings are made.
    #[arg(long)]
    pub areas: Option<String>,
    /// Warning engine configuration (TOML, `WarnConfig`); defaults when absent.
    #[arg(long)]
    pub warn_config: Option<PathBuf>,
    /// Warning policy: `predictive` (Skywatch), or a baseline standing for today's
    /// practice: `province` (whole province when a threat is in it or within 20 km),
    /// `radius` (every area within 30 km of a threat).
    #[arg(long, default_value = "predictive")]
    pub policy: PolicyKind,
    /// Feed the warning engine the true states of the objects observable at each moment
    /// (from truth.jsonl + labels.jsonl) instead of the tracker's tracks; tracks.jsonl
    /// then holds those true states too.
    #[arg(long)]
    pub perfect_tracks: bool,
    /// Tracks only: no warning engine, no alerts or CAP (to measure the tracker alone).
    #[arg(long)]
    pub no_alerts: bool,
    /// Do not print the score summary even when the scenario has truth.
    #[arg(long)]
    pub no_score: bool,
    /// No progress bar (for logs and CI).
    #[arg(long)]
    pub quiet: bool,
}

/// Timing of the engine alone (reading and writing excluded).
#[derive(Default)]
struct Timing {
    reports: u64,
    ingest: Duration,
    output: Duration,
    /// Histogram of per-report ingest time, 1 µs buckets up to 20 ms.
    hist: Vec<u32>,
    max: Duration,
}

impl Timing {
    fn record(&mut self, d: Duration) {
        self.reports += 1;
        self.ingest += d;
        self.max = self.max.max(d);
        if self.hist.is_empty() {
            self.hist = vec![0; 20_001];
        }
        let b = (d.as_micros() as usize).min(20_000);
        self.hist[b] += 1;
    }

    fn quantile_us(&self, q: f64) -> f64 {
        let want = (q * self.reports as f64).ceil() as u64;
        let mut acc = 0u64;
        for (i, &n) in self.hist.iter().enumerate() {
            acc += n as u64;
            if acc >= want {
                return i as f64 + 1.0;
            }
        }
        f64::NAN
    }
}

/// Consumes everything a replay produces each second. The tracks writer is one; the
/// warning engine and CAP writers will be others.
trait SecondSink {
    fn second(&mut self, t: f64, snaps: &[TrackSnapshot]) -> anyhow::Result<()>;
}

struct TracksWriter {
    w: JsonlWriter<TrackRecord>,
}

impl SecondSink for TracksWriter {
    fn second(&mut self, _t: f64, snaps: &[TrackSnapshot]) -> anyhow::Result<()> {
        for s in snaps {
            self.w.write(&TrackRecord::from_model(&s.estimate))?;
        }
        Ok(())
    }
}

/// What a replay did, for the summary line and for callers (demo, tests).
#[derive(Debug, Clone)]
pub struct ReplaySummary {
    pub scenario: String,
    pub reports: u64,
    pub bad_lines: u64,
    pub seconds: u64,
    pub wall_s: f64,
    /// Engine time (ingest and output), seconds; zero with perfect tracks.
    pub engine_s: f64,
    pub track_lines: u64,
    pub max_tracks: usize,
    pub alerts: Option<AlertSummary>,
}

fn load_areas(args: &Args, scenario: &ScenarioDir) -> anyhow::Result<Option<Arc<AreaSet>>> {
    if args.no_alerts {
        return Ok(None);
    }
    let text = match args.areas.as_deref() {
        Some("kr-municipalities") => return Ok(Some(Arc::new(AreaSet::korea_municipalities()))),
        Some(path) => {
            std::fs::read_to_string(path).with_context(|| format!("reading areas {path}"))?
        }
        None if scenario.has(files::AREAS) => {
            let p = scenario.path(files::AREAS);
            std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?
        }
        None => return Ok(None),
    };
    let set = AreaSet::from_geojson(&text).context("loading warning areas")?;
    Ok(Some(Arc::new(set)))
}

/// Runs a replay as `skywatch replay` does, without printing.
pub fn replay(args: &Args) -> anyhow::Result<ReplaySummary> {
    let scenario = ScenarioDir::open(&args.scenario)
        .with_context(|| format!("opening scenario {}", args.scenario.display()))?;
    let cfg: EngineConfig = read_toml(args.config.as_deref(), "engine config")?;
    let warn_cfg: WarnConfig = read_toml(args.warn_config.as_deref(), "warning config")?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let duration = scenario.meta.duration_s;
    anyhow::ensure!(
        duration.is_finite() && duration >= 0.0,
        "scenario duration is not a number"
    );
    let seconds = duration.floor() as u64;

    let mut tracks_out = TracksWriter {
        w: JsonlWriter::create(&args.out.join(files::TRACKS))?,
    };
    let mut alerts_out = match load_areas(args, &scenario)? {
        Some(areas) => {
            let epoch = scenario.meta.epoch_unix_s().context("scenario epoch")?;
            // A scenario with ground truth is a simulation or an annotated recording:
            // its CAP messages carry status Exercise, never Actual.
            let simulated = scenario.has(files::TRUTH);
            Some(AlertsOut::new(
                args.policy,
                warn_cfg,
                areas,
                &args.out,
                epoch,
                simulated,
            )?)
        }
        None if args.no_alerts => None,
        None => {
            tracing::warn!(scenario = %scenario.dir.display(), "No warning areas: no alerts will be made.");
            None
        }
    };
    let mut truth_feed = if args.perfect_tracks {
        Some(TruthFeed::open(&scenario)?)
    } else {
        None
    };
    let mut engine = Engine::new(cfg);
    let mut reports = scenario.reports()?.peekable();
    let mut timing = Timing::default();
    let mut bad_lines = 0u64;
    let mut track_lines = 0u64;
    let mut max_tracks = 0usize;
    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(seconds + 1)
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} s  {msg}  [{elapsed_precise} / {eta}]")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let wall = Instant::now();
    let mut pending: Option<Report> = None;
    for sec in 0..=seconds {
        let t = sec as f64;
        // Ingest every report that has arrived by t (reports are in rx order).
        loop {
            if pending.is_none() {
                match reports.next() {
                    None => break,
                    Some(Ok((_, r))) => {
                        if let Some(f) = truth_feed.as_mut() {
                            f.report_arrived(Some(r.t))?;
                        }
                        pending = Some(r);
                    }
                    Some(Err(e)) => {
                        bad_lines += 1;
                        if let Some(f) = truth_feed.as_mut() {
                            f.report_arrived(None)?;
                        }
                        tracing::warn!(error = %e, "Report line skipped.");
                        continue;
                    }
                }
            }
            let Some(r) = pending.take() else { break };
            if r.rx > t {
                pending = Some(r);
                break;
            }
            if truth_feed.is_some() {
                // Perfect tracks: the tracker is not run at all.
                timing.reports += 1;
                continue;
            }
            let t0 = Instant::now();
            let res = engine.ingest(&r);
            timing.record(t0.elapsed());
            if let Err(e) = res
                && !matches!(e, Rejection::Duplicate)
            {
                tracing::debug!(sensor = %r.sensor, reason = %e, "Report rejected.");
            }
        }
        let snaps = match truth_feed.as_mut() {
            Some(f) => {
                let mut s = f.snapshots_at(t)?;
                // Birds are not scored tracks; the warning engine ignores them anyway.
                s.retain(|s| s.estimate.class != skywatch_model::Class::Bird);
                s
            }
            None => {
                let t0 = Instant::now();
                let s = engine.snapshots_at(t);
                timing.output += t0.elapsed();
                s
            }
        };
        track_lines += snaps.len() as u64;
        max_tracks = max_tracks.max(snaps.len());
        // Per-second hook: every consumer of the snapshots at T goes here.
        tracks_out.second(t, &snaps)?;
        if let Some(a) = alerts_out.as_mut() {
            a.second(t, &snaps)?;
        }
        bar.set_message(format!("{} tracks", snaps.len()));
        bar.inc(1);
    }
    bar.finish_and_clear();
    tracks_out.w.finish()?;
    let alerts = alerts_out.map(AlertsOut::finish).transpose()?;
    let st = engine.stats();
    let engine_s = (timing.ingest + timing.output).as_secs_f64();
    tracing::info!(
        reports = timing.reports,
        accepted = st.accepted,
        rejected = st.rejected_total(),
        associated = st.associated,
        out_of_sequence = st.out_of_sequence,
        started = st.tracks_started,
        confirmed = st.tracks_confirmed,
        deleted = st.tracks_deleted,
        merged = st.tracks_merged,
        triangulations = st.triangulations,
        failed_updates = st.failed_updates,
        bad_lines,
        "Replay done."
    );
    let rejected: Vec<String> = (0..Rejection::COUNT)
        .filter(|&i| st.rejected[i] > 0)
        .map(|i| format!("{}={}", Rejection::name(i), st.rejected[i]))
        .collect();
    if !rejected.is_empty() {
        tracing::info!(rejected = %rejected.join(", "), "Reports rejected by the engine.");
    }
    if truth_feed.is_none() {
        tracing::info!(
            p50_us = timing.quantile_us(0.5),
            p99_us = timing.quantile_us(0.99),
            max_ms = timing.max.as_secs_f64() * 1e3,
            output_s = timing.output.as_secs_f64(),
            started = st.tracks_started,
            confirmed = st.tracks_confirmed,
            "Engine timing."
        );
    }
    Ok(ReplaySummary {
        scenario: scenario.meta.name.clone(),
        reports: timing.reports,
        bad_lines,
        seconds: seconds + 1,
        wall_s: wall.elapsed().as_secs_f64(),
        engine_s,
        track_lines,
        max_tracks,
        alerts,
    })
}

pub(crate) fn read_toml<T: serde::de::DeserializeOwned + Default>(
    path: Option<&Path>,
    what: &str,
) -> anyhow::Result<T> {
    match path {
        Some(p) => {
            let text =
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            toml::from_str(&text).with_context(|| format!("parsing {what} {}", p.display()))
        }
        None => Ok(T::default()),
    }
}

#[allow(clippy::print_stdout)]
pub fn run(args: Args) -> anyhow::Result<()> {
    let s = replay(&args)?;
    print_summary(&s);
    let scenario = ScenarioDir::open(&args.scenario)?;
    if !args.no_score && scenario.has(files::TRUTH) {
        let score = skywatch_score::score_run(
            &args.scenario,
            &args.out,
            &skywatch_score::ScoreConfig::default(),
        )
        .context("scoring the run")?;
        print!("{score}");
    }
    Ok(())
}

#[allow(clippy::print_stdout)]
pub fn print_summary(s: &ReplaySummary) {
    if s.engine_s > 0.0 {
        println!(
            "replay {}: {} reports in {:.2} s wall; engine {:.3} s = {:.0} reports/s; {} bad lines",
            s.scenario,
            s.reports,
            s.wall_s,
            s.engine_s,
            s.reports as f64 / s.engine_s,
            s.bad_lines
        );
    } else {
        println!(
            "replay {} (perfect tracks): {} reports in {:.2} s wall",
            s.scenario, s.reports, s.wall_s
        );
    }
    println!(
        "tracks: {} lines over {} s, at most {} at once",
        s.track_lines, s.seconds, s.max_tracks
    );
    if let Some(a) = &s.alerts {
        println!(
            "alerts: {} on, {} off; {} CAP messages",
            a.on, a.off, a.cap_messages
        );
    }
}
