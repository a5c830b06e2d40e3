//! `skywatch replay`: runs the tracking engine over a recorded scenario, causally.
//!
//! The loop is driven by whole seconds of scenario time: at each second `T` every
//! report with `rx <= T` is ingested, then the engine is asked for its tracks at `T`
//! and the per-second outputs are handed to the writers. A later consumer (the warning
//! engine) hooks in at the same place, on the same snapshots.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use skywatch_model::{Report, TrackSnapshot};
use skywatch_scenario::{JsonlWriter, ScenarioDir, TrackRecord};
use skywatch_track::{Engine, EngineConfig, Rejection};

#[derive(clap::Args)]
pub struct Args {
    /// Scenario directory (scenario.json, reports.jsonl).
    pub scenario: PathBuf,
    /// Run directory to write (tracks.jsonl); created if missing.
    #[arg(long)]
    pub out: PathBuf,
    /// Engine configuration (TOML, `EngineConfig`); defaults when absent.
    #[arg(long)]
    pub config: Option<PathBuf>,
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

#[allow(clippy::print_stdout)]
pub fn run(args: Args) -> anyhow::Result<()> {
    let scenario = ScenarioDir::open(&args.scenario)
        .with_context(|| format!("opening scenario {}", args.scenario.display()))?;
    let cfg: EngineConfig = match &args.config {
        Some(p) => {
            let text =
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            toml::from_str(&text)
                .with_context(|| format!("parsing engine config {}", p.display()))?
        }
        None => EngineConfig::default(),
    };
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let duration = scenario.meta.duration_s;
    anyhow::ensure!(
        duration.is_finite() && duration >= 0.0,
        "scenario duration is not a number"
    );
    let seconds = duration.floor() as u64;

    let mut tracks_out = TracksWriter {
        w: JsonlWriter::create(&args.out.join("tracks.jsonl"))?,
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
                    Some(Ok((_, r))) => pending = Some(r),
                    Some(Err(e)) => {
                        bad_lines += 1;
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
            let t0 = Instant::now();
            let res = engine.ingest(&r);
            timing.record(t0.elapsed());
            if let Err(e) = res
                && !matches!(e, Rejection::Duplicate)
            {
                tracing::debug!(sensor = %r.sensor, reason = %e, "Report rejected.");
            }
        }
        let t0 = Instant::now();
        let snaps = engine.snapshots_at(t);
        timing.output += t0.elapsed();
        track_lines += snaps.len() as u64;
        max_tracks = max_tracks.max(snaps.len());
        // Per-second hook: every consumer of the snapshots at T goes here.
        tracks_out.second(t, &snaps)?;
        bar.set_message(format!("{} tracks", snaps.len()));
        bar.inc(1);
    }
    bar.finish_and_clear();
    tracks_out.w.finish()?;
    let wall = wall.elapsed();
    let st = engine.stats();
    let engine_s = (timing.ingest + timing.output).as_secs_f64();
    let rate = timing.reports as f64 / engine_s.max(1e-9);
    let rejected: Vec<String> = (0..Rejection::COUNT)
        .filter(|&i| st.rejected[i] > 0)
        .map(|i| format!("{}={}", Rejection::name(i), st.rejected[i]))
        .collect();
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
    println!(
        "replay {}: {} reports in {:.2} s wall; engine {:.3} s = {:.0} reports/s (ingest p50 {:.0} us, p99 {:.0} us, max {:.2} ms; output {:.3} s)",
        scenario.meta.name,
        timing.reports,
        wall.as_secs_f64(),
        engine_s,
        rate,
        timing.quantile_us(0.5),
        timing.quantile_us(0.99),
        timing.max.as_secs_f64() * 1e3,
        timing.output.as_secs_f64(),
    );
    println!(
        "tracks: {} lines over {} s, at most {} at once; {} started, {} confirmed, {} merged; rejected: {}",
        track_lines,
        seconds + 1,
        max_tracks,
        st.tracks_started,
        st.tracks_confirmed,
        st.tracks_merged,
        if rejected.is_empty() {
            "none".to_string()
        } else {
            rejected.join(", ")
        }
    );
    Ok(())
}
