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
use skywatch_track::{Engine, EngineConfig, Rejection, Status, TrackDebug};
use skywatch_warn::{PolicyKind, WarnConfig};

use crate::alerts_out::{AlertSummary, AlertsOut};
use crate::truth_feed::TruthFeed;

/// `--all-tracks` output file in the run directory.
pub const ALL_TRACKS: &str = "all-tracks.jsonl";

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
    /// Also write every track the tracker holds, each second, to RUN/all-tracks.jsonl:
    /// tentative tracks and hidden birds too, with their status, whether they are
    /// shown, when they started and their threat probability. For diagnosis (why a
    /// drone was "never tracked"; `bench/warn/misses.py` reads it). Not with
    /// `--perfect-tracks`.
    #[arg(long, conflicts_with = "perfect_tracks")]
    pub all_tracks: bool,
    /// Also write the warning engine's entry probabilities every 10 s to
    /// RUN/forecasts.jsonl: per track and area, the probability of entry within 60,
    /// 120, 180 and 300 s. For checking they mean what they say
    /// (`bench/warn/reliability.py` compares them with what the drones then did).
    #[arg(long)]
    pub forecasts: bool,
    /// Do not print the score summary even when the scenario has truth.
    #[arg(long)]
    pub no_score: bool,
    /// No progress bar (for logs and CI).
    #[arg(long)]
    pub quiet: bool,
}

/// Log-linear histogram of durations in nanoseconds: 64 sub-buckets per power of two,
/// so a quantile read from it is at most 1/64 (1.6 %) above the true value. Fixed size
/// (3,776 counters, 30 KB), no allocation per record.
#[derive(Clone)]
struct Hist {
    counts: Vec<u64>,
    n: u64,
    max_ns: u64,
}

const SUB_BITS: u32 = 6;
const SUB: u64 = 1 << SUB_BITS;
const BUCKETS: usize = ((64 - SUB_BITS + 1) as usize) * SUB as usize;

impl Default for Hist {
    fn default() -> Self {
        Hist {
            counts: vec![0; BUCKETS],
            n: 0,
            max_ns: 0,
        }
    }
}

impl Hist {
    #[inline]
    fn index(ns: u64) -> usize {
        if ns < SUB {
            return ns as usize;
        }
        let e = 63 - ns.leading_zeros(); // floor(log2 ns) >= SUB_BITS
        let sub = (ns >> (e - SUB_BITS)) - SUB;
        ((e - SUB_BITS + 1) as u64 * SUB + sub) as usize
    }

    /// Largest value (inclusive) that falls in bucket `i`.
    fn upper(i: usize) -> u64 {
        let i = i as u64;
        if i < SUB {
            return i;
        }
        let (k, sub) = (i / SUB, i % SUB);
        let shift = k - 1;
        let lower = (SUB + sub) << shift;
        lower.saturating_add((1u64 << shift) - 1)
    }

    #[inline]
    fn record_ns(&mut self, ns: u64) {
        self.counts[Self::index(ns)] += 1;
        self.n += 1;
        self.max_ns = self.max_ns.max(ns);
    }

    /// The `q` quantile (nearest rank), as the upper edge of its bucket capped at the
    /// largest value recorded; `None` when empty.
    fn quantile_ns(&self, q: f64) -> Option<u64> {
        if self.n == 0 {
            return None;
        }
        let want = ((q.clamp(0.0, 1.0) * self.n as f64).ceil() as u64).max(1);
        let mut acc = 0u64;
        for (i, &c) in self.counts.iter().enumerate() {
            acc += c;
            if acc >= want {
                return Some(Self::upper(i).min(self.max_ns));
            }
        }
        Some(self.max_ns)
    }

    fn quantile_us(&self, q: f64) -> f64 {
        self.quantile_ns(q).map_or(f64::NAN, |ns| ns as f64 / 1e3)
    }

    fn max_us(&self) -> f64 {
        if self.n == 0 {
            f64::NAN
        } else {
            self.max_ns as f64 / 1e3
        }
    }
}

#[inline]
fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// Timing of the engine alone (reading and writing excluded).
///
/// Two calls do the engine's work: `ingest` per report (which also flushes a sensor's
/// batch when its window closes), and `snapshots_at` once a second, which flushes every
/// waiting batch (association and updates), does the per-second maintenance and
/// predicts the output. Per report, besides its own `ingest`, we record its share of
/// its second's `snapshots_at` (`ingest + snapshots / reports in the second`:
/// amortised cost) and the whole of it (`ingest + snapshots`: a bound on the
/// processing latency of a report whose batch is flushed at the end of its second).
#[derive(Default)]
struct Timing {
    reports: u64,
    ingest: Duration,
    output: Duration,
    ingest_hist: Hist,
    second_hist: Hist,
    amortised_hist: Hist,
    bound_hist: Hist,
    /// Ingest times (ns) of the reports of the current second; reused, so its size is
    /// the busiest second's report count, not the run's.
    this_second: Vec<u64>,
}

impl Timing {
    fn record_ingest(&mut self, d: Duration) {
        self.reports += 1;
        self.ingest += d;
        let ns = nanos(d);
        self.ingest_hist.record_ns(ns);
        self.this_second.push(ns);
    }

    /// The `snapshots_at` call that closes a second; attributes it to that second's
    /// reports.
    fn record_second(&mut self, d: Duration) {
        self.output += d;
        let f = nanos(d);
        self.second_hist.record_ns(f);
        if let Some(share) = f.checked_div(self.this_second.len() as u64) {
            for &i in &self.this_second {
                self.amortised_hist.record_ns(i.saturating_add(share));
                self.bound_hist.record_ns(i.saturating_add(f));
            }
        }
        self.this_second.clear();
    }

    fn summary(&self) -> EngineTiming {
        EngineTiming {
            ingest_p50_us: self.ingest_hist.quantile_us(0.5),
            ingest_p99_us: self.ingest_hist.quantile_us(0.99),
            ingest_max_us: self.ingest_hist.max_us(),
            second_p50_us: self.second_hist.quantile_us(0.5),
            second_p99_us: self.second_hist.quantile_us(0.99),
            second_max_us: self.second_hist.max_us(),
            amortised_p99_us: self.amortised_hist.quantile_us(0.99),
            amortised_max_us: self.amortised_hist.max_us(),
            bound_p99_us: self.bound_hist.quantile_us(0.99),
            bound_max_us: self.bound_hist.max_us(),
        }
    }
}

/// Engine timing figures of a replay, microseconds (see `Timing`). NaN when nothing
/// was measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EngineTiming {
    /// One `ingest` call.
    pub ingest_p50_us: f64,
    pub ingest_p99_us: f64,
    pub ingest_max_us: f64,
    /// One per-second `snapshots_at` call (batch flushes, maintenance, output).
    pub second_p50_us: f64,
    pub second_p99_us: f64,
    pub second_max_us: f64,
    /// Per report: its `ingest` plus its share of its second's `snapshots_at`.
    pub amortised_p99_us: f64,
    pub amortised_max_us: f64,
    /// Per report: its `ingest` plus the whole of its second's `snapshots_at`.
    pub bound_p99_us: f64,
    pub bound_max_us: f64,
}

/// Consumes everything a replay produces each second. The tracks writer is one; the
/// warning engine and CAP writers will be others.
trait SecondSink {
    fn second(&mut self, t: f64, snaps: &[TrackSnapshot]) -> anyhow::Result<()>;
}

/// One line of RUN/all-tracks.jsonl (`--all-tracks`): a diagnosis record, not part of
/// the interchange format.
#[derive(serde::Serialize)]
struct AllTracksLine {
    t: f64,
    id: String,
    status: &'static str,
    shown: bool,
    lat: f64,
    lon: f64,
    alt_m: f64,
    vn: f64,
    ve: f64,
    vu: f64,
    sd_v_m_s: f64,
    reporters_only: bool,
    in_coverage: bool,
    class: &'static str,
    class_p: f64,
    p_threat: f64,
    first_t: f64,
    last_update_t: f64,
    hits: u32,
}

fn write_all_tracks(
    w: &mut JsonlWriter<AllTracksLine>,
    t: f64,
    all: &[TrackDebug],
) -> anyhow::Result<()> {
    for d in all {
        let e = &d.estimate;
        w.write(&AllTracksLine {
            t,
            id: e.id.to_string(),
            status: match d.status {
                Status::Tentative => "tentative",
                Status::Confirmed => "confirmed",
                Status::Coasting => "coasting",
            },
            shown: d.shown,
            lat: e.pos.lat_deg,
            lon: e.pos.lon_deg,
            alt_m: e.pos.alt_m,
            vn: e.vel.vn,
            ve: e.vel.ve,
            vu: e.vel.vu,
            sd_v_m_s: d.sd_v_m_s,
            reporters_only: d.reporters_only,
            in_coverage: d.in_coverage,
            class: e.class.as_str(),
            class_p: e.class_confidence,
            p_threat: d.p_threat,
            first_t: d.first_t,
            last_update_t: d.last_update_t,
            hits: d.hits,
        })?;
    }
    Ok(())
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
    /// Engine timing; `None` with perfect tracks.
    pub timing: Option<EngineTiming>,
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
            let out = AlertsOut::new(args.policy, warn_cfg, areas, &args.out, epoch, simulated)?;
            Some(if args.forecasts {
                out.with_forecasts(&args.out)?
            } else {
                out
            })
        }
        None if args.no_alerts => None,
        None => {
            tracing::warn!(scenario = %scenario.dir.display(), "No warning areas: no alerts will be made.");
            None
        }
    };
    let mut all_tracks_out = if args.all_tracks {
        Some(JsonlWriter::create(&args.out.join(ALL_TRACKS))?)
    } else {
        None
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
            timing.record_ingest(t0.elapsed());
            if let Err(e) = res
                && !matches!(e, Rejection::Duplicate)
            {
                tracing::debug!(sensor = %r.sensor, reason = %e, "Report rejected.");
            }
        }
        let (snaps, hidden) = match truth_feed.as_mut() {
            Some(f) => {
                let mut s = f.snapshots_at(t)?;
                // Birds are not scored tracks; the warning engine ignores them anyway.
                s.retain(|s| s.estimate.class != skywatch_model::Class::Bird);
                (s, Vec::new())
            }
            None => {
                let t0 = Instant::now();
                let frame = engine.frame_at(t);
                timing.record_second(t0.elapsed());
                if let Some(w) = all_tracks_out.as_mut() {
                    write_all_tracks(w, t, &engine.all_tracks_at(t))?;
                }
                (frame.shown, frame.hidden)
            }
        };
        track_lines += snaps.len() as u64;
        max_tracks = max_tracks.max(snaps.len());
        // Per-second hook: every consumer of the snapshots at T goes here.
        tracks_out.second(t, &snaps)?;
        if let Some(a) = alerts_out.as_mut() {
            a.second(t, &snaps, &hidden)?;
        }
        bar.set_message(format!("{} tracks", snaps.len()));
        bar.inc(1);
    }
    bar.finish_and_clear();
    tracks_out.w.finish()?;
    if let Some(w) = all_tracks_out {
        w.finish()?;
    }
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
        single_node_starts = st.single_node_starts,
        reporter_starts = st.reporter_starts,
        reporter_dense_starts = st.reporter_dense_starts,
        reach_constraints = st.reach_constraints,
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
    let engine_timing = truth_feed.is_none().then(|| timing.summary());
    if let Some(et) = &engine_timing {
        tracing::info!(
            ingest_s = timing.ingest.as_secs_f64(),
            output_s = timing.output.as_secs_f64(),
            ingest_p50_us = et.ingest_p50_us,
            ingest_p99_us = et.ingest_p99_us,
            ingest_max_us = et.ingest_max_us,
            second_p50_us = et.second_p50_us,
            second_p99_us = et.second_p99_us,
            second_max_us = et.second_max_us,
            per_report_amortised_p99_us = et.amortised_p99_us,
            per_report_amortised_max_us = et.amortised_max_us,
            per_report_bound_p99_us = et.bound_p99_us,
            per_report_bound_max_us = et.bound_max_us,
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
        timing: engine_timing,
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
    if let Some(t) = &s.timing {
        println!(
            "engine timing: ingest p99 {:.1} µs, max {:.2} ms; per-second snapshots_at (batch \
             flushes) p99 {:.2} ms, max {:.2} ms; per report incl. its second's flush: \
             amortised p99 {:.1} µs, max {:.2} ms; bound (ingest + whole flush) p99 {:.2} ms, \
             max {:.2} ms",
            t.ingest_p99_us,
            t.ingest_max_us / 1e3,
            t.second_p99_us / 1e3,
            t.second_max_us / 1e3,
            t.amortised_p99_us,
            t.amortised_max_us / 1e3,
            t.bound_p99_us / 1e3,
            t.bound_max_us / 1e3,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hist_buckets_are_contiguous_and_tight() {
        let mut prev = None;
        for i in 0..BUCKETS {
            let up = Hist::upper(i);
            if let Some(p) = prev {
                assert!(up > p, "bucket {i}");
            }
            prev = Some(up);
        }
        for v in (0..5000u64)
            .chain((0..60).map(|k| 1u64 << k))
            .chain((1..60).map(|k| (1u64 << k) - 1))
            .chain([12_345_678, 987_654_321_000, u64::MAX])
        {
            let i = Hist::index(v);
            assert!(i < BUCKETS, "{v}");
            let up = Hist::upper(i);
            assert!(up >= v, "{v} above its bucket's upper edge {up}");
            assert!(i == 0 || Hist::upper(i - 1) < v, "{v} belongs lower");
            assert!(
                (up - v) as f64 <= v as f64 / 64.0,
                "{v}: bucket too wide ({up})"
            );
        }
    }

    #[test]
    fn hist_quantiles() {
        let mut h = Hist::default();
        assert_eq!(h.quantile_ns(0.99), None);
        assert!(h.quantile_us(0.5).is_nan());
        // Small values are exact.
        for v in 1..=50u64 {
            h.record_ns(v);
        }
        assert_eq!(h.quantile_ns(0.5), Some(25));
        assert_eq!(h.quantile_ns(0.99), Some(50));
        assert_eq!(h.quantile_ns(0.0), Some(1));

        // 1..=1000 µs: p50 500 µs, p99 990 µs, within 1/64 above; max exact.
        let mut h = Hist::default();
        for us in 1..=1000u64 {
            h.record_ns(us * 1000);
        }
        for (q, want) in [(0.5, 500_000u64), (0.99, 990_000)] {
            let got = h.quantile_ns(q).unwrap();
            assert!(got >= want && got <= want + want / 64, "q {q}: {got}");
        }
        assert_eq!(h.quantile_ns(1.0), Some(1_000_000));
        assert_eq!(h.max_us(), 1000.0);
    }

    #[test]
    fn flush_time_is_attributed_to_the_reports_of_its_second() {
        let mut t = Timing::default();
        // Second 1: three reports of 10 µs, flush 3 ms.
        for _ in 0..3 {
            t.record_ingest(Duration::from_micros(10));
        }
        t.record_second(Duration::from_millis(3));
        // Second 2: no reports, a 7 ms call: counted per second, attributed to nobody.
        t.record_second(Duration::from_millis(7));
        // Second 3: one report of 20 µs, flush 1 ms.
        t.record_ingest(Duration::from_micros(20));
        t.record_second(Duration::from_millis(1));
        let s = t.summary();
        assert_eq!(t.reports, 4);
        assert_eq!(s.ingest_max_us, 20.0);
        assert_eq!(s.second_max_us, 7000.0);
        // Amortised: 10 + 1000 (x3) and 20 + 1000.
        assert_eq!(s.amortised_max_us, 1020.0);
        assert!(
            (1010.0..=1010.0 * (1.0 + 1.0 / 64.0)).contains(&t.amortised_hist.quantile_us(0.5))
        );
        // Bound: 10 + 3000 (x3) and 20 + 1000.
        assert_eq!(s.bound_max_us, 3010.0);
        assert!((1020.0..=1020.0 * (1.0 + 1.0 / 64.0)).contains(&t.bound_hist.quantile_us(0.25)));
        assert!(t.this_second.is_empty());
    }
}
