//! `skywatch bench-latency`: report-in to CAP-out latency of the live pipeline, on a
//! recorded scenario replayed at (scaled) wall-clock pace.
//!
//! Two threads, as the live service would have them:
//!
//! * the **feed** thread reads `reports.jsonl` and releases each report at wall time
//!   `W0 + (rx − from) / speed` (its "in" time), and a tick message at
//!   `W0 + (T − from) / speed` for every warning tick `T` (a multiple of `--tick-ms`),
//!   after every report with `rx <= T`; all of it through one channel;
//! * the **engine** thread (the caller's) ingests each report as it comes
//!   (`Engine::ingest`) and, on each tick, runs what `replay` runs each second:
//!   `Engine::frame_at(T)`, the warning policy's `explained` and `step`, one
//!   `CapPublisher::publish`
//!   per area change (plus the refreshes of expiring alerts) and the Atom feed when
//!   something was published.
//!
//! "In" is the scheduled time, not the time the feed thread managed to send, so a feed
//! that falls behind can only make the figures worse. If the engine cannot keep up, the
//! channel fills and every later report waits: the backlog is in the figures.
//!
//! With `--from S` the engine is first warmed up by the same pipeline, as fast as it
//! goes and unmeasured, on every report and tick (at most one a second) before `S`, so
//! the measured window starts with the real track population, warning state and open
//! alerts.
//!
//! CAP messages and the feed are built in memory and not written to disk.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use skywatch_areas::AreaSet;
use skywatch_cap::{CapConfig, CapMessage, CapPublisher, FeedConfig, atom_feed};
use skywatch_model::{AlertChange, Report};
use skywatch_scenario::{ScenarioDir, files};
use skywatch_track::{Engine, EngineConfig};
use skywatch_warn::{PolicyKind, WarnConfig, WarningPolicy, build_policy};

use crate::cmd_replay::read_toml;

/// Channel capacity, messages. Big enough that the feed thread never blocks unless
/// the engine is minutes behind (it then blocks, and its lateness is reported).
const CHANNEL_CAP: usize = 1 << 18;

#[derive(clap::Args)]
pub struct Args {
    /// Scenario directory (scenario.json, reports.jsonl, areas.geojson).
    pub scenario: PathBuf,
    /// Start of the measured window, seconds of scenario time. Everything before it is
    /// run through the same pipeline first, unpaced and unmeasured (warm-up).
    #[arg(long, default_value_t = 0.0)]
    pub from: f64,
    /// Length of the measured window, seconds of scenario time (default: to the end).
    #[arg(long)]
    pub seconds: Option<f64>,
    /// Replay speed: 1 is real time, the load the scenario describes (the default, and
    /// the one the latency target is about); 10 replays ten times faster, i.e. ten times
    /// the report rate and a tenth of the wall time per tick (a stress test).
    #[arg(long, default_value_t = 1.0)]
    pub speed: f64,
    /// Warning tick, milliseconds of scenario time (replay uses 1000).
    #[arg(long, default_value_t = 1000)]
    pub tick_ms: u64,
    /// Engine configuration (TOML, `EngineConfig`); defaults when absent.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Warning engine configuration (TOML, `WarnConfig`); defaults when absent.
    #[arg(long)]
    pub warn_config: Option<PathBuf>,
    /// Warning areas (GeoJSON), or `kr-municipalities`; default: the scenario's
    /// `areas.geojson`.
    #[arg(long)]
    pub areas: Option<String>,
    /// Warning policy (`predictive`, `province`, `radius`).
    #[arg(long, default_value = "predictive")]
    pub policy: PolicyKind,
    /// Write every figure as JSON here.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

/// Scenario time of tick `k`, seconds (integer milliseconds, so no drift).
fn tick_time(k: u64, tick_ms: u64) -> f64 {
    (k * tick_ms) as f64 / 1000.0
}

/// Index of the first tick at or after scenario time `s`.
fn first_tick_at_or_after(s: f64, tick_ms: u64) -> u64 {
    let k = (s * 1000.0 / tick_ms as f64).ceil().max(0.0) as u64;
    // Guard against rounding in the division.
    if k > 0 && tick_time(k - 1, tick_ms) >= s {
        k - 1
    } else {
        k
    }
}

/// Wall-clock offset from the start of the measured window at which scenario time `s`
/// is due, for a window starting at `from` replayed at `speed`. Times before `from`
/// are due at once.
fn due_offset(s: f64, from: f64, speed: f64) -> Duration {
    Duration::from_secs_f64(((s - from) / speed).max(0.0))
}

/// Distribution summary of a sample (any unit).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Summary {
    n: usize,
    mean: f64,
    p50: f64,
    p90: f64,
    p99: f64,
    max: f64,
}

/// Nearest-rank quantile of an ascending sample: the smallest value with at least
/// `q·n` values at or below it. NaN for an empty sample.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn summarize(v: &mut [f64]) -> Summary {
    v.sort_by(f64::total_cmp);
    Summary {
        n: v.len(),
        mean: if v.is_empty() {
            f64::NAN
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        },
        p50: quantile(v, 0.5),
        p90: quantile(v, 0.9),
        p99: quantile(v, 0.99),
        max: v.last().copied().unwrap_or(f64::NAN),
    }
}

fn summary_json(s: &Summary) -> serde_json::Value {
    let r = |x: f64| {
        if x.is_finite() {
            json!((x * 1000.0).round() / 1000.0)
        } else {
            serde_json::Value::Null
        }
    };
    json!({"n": s.n, "mean": r(s.mean), "p50": r(s.p50), "p90": r(s.p90), "p99": r(s.p99), "max": r(s.max)})
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// What the feed thread sends the engine thread.
enum Msg {
    /// A report; `due` is its "in" wall time (`None` during warm-up).
    Report(Box<Report>, Option<Instant>),
    /// A warning tick at scenario time `t`; `due` is its wall time (`None`: warm-up).
    Tick(f64, Option<Instant>),
    /// Warm-up over: the feed waits for the engine's go, then starts the clock.
    WarmDone,
}

/// Per-tick figures of the measured window.
#[derive(Default)]
struct Figures {
    /// Per report: "in" to the end of the tick that used it, ms.
    report_lat: Vec<f64>,
    /// Per area change: "in" of the newest report before the tick to its CAP ready, ms.
    change_lat: Vec<f64>,
    /// Per tick: end minus due, ms.
    tick_lag: Vec<f64>,
    /// Per tick: start of the tick's work minus due (queueing), ms.
    tick_wait: Vec<f64>,
    /// Per tick: ingest time of the reports since the last tick, ms.
    ingest: Vec<f64>,
    snapshots: Vec<f64>,
    warn: Vec<f64>,
    cap: Vec<f64>,
    /// Per tick: snapshots + warn + CAP, ms.
    work: Vec<f64>,
    overruns: u64,
    changes: u64,
    cap_messages: u64,
    changes_without_report: u64,
    tracks: Vec<f64>,
    backlog_max: u64,
    /// The tick with the largest lag: (t, lag, snapshots, warn, cap, tracks, changes).
    worst: Option<(f64, f64, f64, f64, f64, usize, usize)>,
    /// Every tick: [t, lag, queue wait, ingest, snapshots, warn, CAP, tracks, changes].
    series: Vec<[f64; 9]>,
}

/// The warning-and-CAP half of the pipeline, the same call sequence as `alerts_out`
/// without its files.
struct Warn {
    policy: Box<dyn WarningPolicy + Send>,
    areas: Arc<AreaSet>,
    cap: CapPublisher,
    feed_cfg: FeedConfig,
    epoch_unix_s: f64,
    live: Vec<CapMessage>,
}

impl Warn {
    fn publish(&mut self, change: &AlertChange) -> anyhow::Result<()> {
        let id = self
            .areas
            .by_code(&change.area)
            .with_context(|| format!("policy named unknown area {:?}", change.area))?;
        let msg = self.cap.publish(change, self.areas.get(id))?;
        if change.on {
            self.live.push(msg);
        } else {
            self.live.retain(|m| m.area_code != msg.area_code);
        }
        Ok(())
    }
}

/// Feed thread: releases warm-up traffic at once, then paces the window.
#[allow(clippy::too_many_arguments)]
fn feed(
    scenario: PathBuf,
    from: f64,
    end: f64,
    speed: f64,
    tick_ms: u64,
    tx: mpsc::SyncSender<Msg>,
    go: mpsc::Receiver<Instant>,
    sent: Arc<AtomicU64>,
) -> anyhow::Result<(Duration, u64)> {
    let scenario = ScenarioDir::open(&scenario)?;
    let mut reports = scenario.reports()?;
    let mut k = 0u64;
    let mut next: Option<Report> = None;
    let mut bad = 0u64;
    let mut w0: Option<Instant> = None;
    let mut late_max = Duration::ZERO;
    let send = |m: Msg| -> anyhow::Result<()> {
        tx.send(m).ok().context("engine thread gone")?;
        sent.fetch_add(1, Ordering::Relaxed);
        Ok(())
    };
    let last_tick = first_tick_at_or_after(end, tick_ms);
    let mut last_warm_tick = f64::NEG_INFINITY;
    loop {
        if next.is_none() {
            next = loop {
                match reports.next() {
                    None => break None,
                    Some(Ok((_, r))) => break Some(r),
                    Some(Err(e)) => {
                        bad += 1;
                        tracing::warn!(error = %e, "Report line skipped.");
                    }
                }
            };
        }
        let t_tick = tick_time(k, tick_ms);
        // Reports first at equal times: a tick at T uses every report with rx <= T.
        let report_first = next.as_ref().is_some_and(|r| r.rx <= t_tick);
        let s = if report_first {
            next.as_ref().map_or(t_tick, |r| r.rx)
        } else {
            t_tick
        };
        if k > last_tick {
            break;
        }
        if w0.is_none() && s >= from {
            send(Msg::WarmDone)?;
            w0 = Some(go.recv().context("engine thread gone")?);
        }
        let due = match w0 {
            None => None,
            Some(w0) => {
                let due = w0 + due_offset(s, from, speed);
                let now = Instant::now();
                if due > now {
                    std::thread::sleep(due - now);
                } else {
                    late_max = late_max.max(now - due);
                }
                Some(due)
            }
        };
        if report_first {
            if let Some(r) = next.take() {
                send(Msg::Report(Box::new(r), due))?;
            }
        } else {
            // Warm-up ticks are at most one a second (as replay), whatever `tick_ms`:
            // a short tick would otherwise make a long warm-up take ages.
            if due.is_some() || t_tick >= last_warm_tick + 1.0 {
                send(Msg::Tick(t_tick, due))?;
                if due.is_none() {
                    last_warm_tick = t_tick;
                }
            }
            k += 1;
        }
    }
    if w0.is_none() {
        send(Msg::WarmDone)?;
        let _ = go.recv();
    }
    Ok((late_max, bad))
}

/// Machine facts for the JSON (Linux; empty when unavailable).
fn machine() -> serde_json::Value {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_default();
    let load = std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    let nproc = std::thread::available_parallelism().map_or(0, |n| n.get());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64().floor());
    json!({
        "cpu": cpu,
        "nproc": nproc,
        "loadavg": load,
        "date": skywatch_cap::format_cap_time(now).unwrap_or_default(),
    })
}

#[allow(clippy::print_stdout)]
pub fn run(args: Args) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.speed.is_finite() && args.speed > 0.0,
        "--speed must be > 0"
    );
    anyhow::ensure!(args.tick_ms > 0, "--tick-ms must be > 0");
    anyhow::ensure!(
        args.from.is_finite() && args.from >= 0.0,
        "--from must be >= 0"
    );
    let scenario = ScenarioDir::open(&args.scenario)
        .with_context(|| format!("opening scenario {}", args.scenario.display()))?;
    let cfg: EngineConfig = read_toml(args.config.as_deref(), "engine config")?;
    let warn_cfg: WarnConfig = read_toml(args.warn_config.as_deref(), "warning config")?;
    let duration = scenario.meta.duration_s;
    let end = match args.seconds {
        Some(s) => (args.from + s).min(duration),
        None => duration,
    };
    anyhow::ensure!(
        end > args.from,
        "empty window: from {} end {end}",
        args.from
    );
    let areas = match args.areas.as_deref() {
        Some("kr-municipalities") => AreaSet::korea_municipalities(),
        Some(p) => AreaSet::from_geojson(&std::fs::read_to_string(p)?)?,
        None => {
            let p = scenario.path(files::AREAS);
            let text = std::fs::read_to_string(&p)
                .with_context(|| format!("reading {} (or give --areas)", p.display()))?;
            AreaSet::from_geojson(&text)?
        }
    };
    let areas = Arc::new(areas);
    let epoch = scenario.meta.epoch_unix_s().context("scenario epoch")?;
    let mut warn = Warn {
        policy: build_policy(args.policy, warn_cfg, areas.clone())?,
        areas,
        cap: CapPublisher::new(
            CapConfig {
                simulated: scenario.has(files::TRUTH),
                ..CapConfig::default()
            },
            epoch,
        )?,
        feed_cfg: FeedConfig::default(),
        epoch_unix_s: epoch,
        live: Vec::new(),
    };
    let mut engine = Engine::new(cfg);

    let (tx, rx) = mpsc::sync_channel::<Msg>(CHANNEL_CAP);
    let (go_tx, go_rx) = mpsc::channel::<Instant>();
    let sent = Arc::new(AtomicU64::new(0));
    let feeder = {
        let (dir, from, speed, tick_ms, sent) = (
            args.scenario.clone(),
            args.from,
            args.speed,
            args.tick_ms,
            sent.clone(),
        );
        std::thread::Builder::new()
            .name("feed".into())
            .spawn(move || feed(dir, from, end, speed, tick_ms, tx, go_rx, sent))?
    };

    let bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(((end - args.from) * 1000.0 / args.tick_ms as f64).ceil() as u64 + 1)
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:40} {pos}/{len} ticks  {msg}  [{elapsed_precise} / {eta}]",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(format!("warm-up to t={}", args.from));

    let mut fig = Figures::default();
    let budget_ms = args.tick_ms as f64 / args.speed;
    let warm_start = Instant::now();
    let mut warm_wall = Duration::ZERO;
    let mut received = 0u64;
    let mut pending_in: Vec<Instant> = Vec::new();
    let mut newest_in: Option<Instant> = None;
    let mut ingest_acc = Duration::ZERO;
    let mut reports_measured = 0u64;
    let mut reports_warm = 0u64;
    let mut ticks_measured = 0u64;
    while let Ok(msg) = rx.recv() {
        received += 1;
        match msg {
            Msg::WarmDone => {
                warm_wall = warm_start.elapsed();
                pending_in.clear();
                ingest_acc = Duration::ZERO;
                go_tx
                    .send(Instant::now())
                    .ok()
                    .context("feed thread gone")?;
            }
            Msg::Report(r, due) => {
                let t0 = Instant::now();
                let _ = engine.ingest(&r);
                ingest_acc += t0.elapsed();
                match due {
                    Some(d) => {
                        reports_measured += 1;
                        pending_in.push(d);
                        newest_in = Some(d);
                    }
                    None => reports_warm += 1,
                }
            }
            Msg::Tick(t, due) => {
                let start = Instant::now();
                let backlog = sent.load(Ordering::Relaxed).saturating_sub(received);
                let frame = engine.frame_at(t);
                let t_snap = Instant::now();
                warn.policy.explained(t, &frame.hidden);
                let snaps = frame.shown;
                let changes = warn.policy.step(t, &snaps);
                let t_warn = Instant::now();
                let mut change_ready = Vec::with_capacity(changes.len());
                let mut published = false;
                for c in &changes {
                    warn.publish(&c.change)?;
                    change_ready.push(Instant::now());
                    published = true;
                }
                for refresh in crate::alerts_out::refreshes_due(&warn.cap, t) {
                    warn.publish(&refresh)?;
                    published = true;
                    fig.cap_messages += due.is_some() as u64;
                }
                if published {
                    let feed = atom_feed(&warn.live, &warn.feed_cfg, warn.epoch_unix_s + t)?;
                    std::hint::black_box(feed);
                }
                let end_w = Instant::now();
                let Some(due) = due else {
                    continue;
                };
                ticks_measured += 1;
                fig.backlog_max = fig.backlog_max.max(backlog);
                for &d in &pending_in {
                    fig.report_lat.push(ms(end_w.saturating_duration_since(d)));
                }
                pending_in.clear();
                match newest_in {
                    Some(n) => {
                        for &c in &change_ready {
                            fig.change_lat.push(ms(c.saturating_duration_since(n)));
                        }
                    }
                    None => fig.changes_without_report += change_ready.len() as u64,
                }
                fig.changes += changes.len() as u64;
                fig.cap_messages += changes.len() as u64;
                let lag = ms(end_w.saturating_duration_since(due));
                if lag > budget_ms {
                    fig.overruns += 1;
                }
                let (s_ms, w_ms, c_ms) =
                    (ms(t_snap - start), ms(t_warn - t_snap), ms(end_w - t_warn));
                fig.tick_lag.push(lag);
                fig.tick_wait.push(ms(start.saturating_duration_since(due)));
                fig.ingest.push(ms(ingest_acc));
                ingest_acc = Duration::ZERO;
                fig.snapshots.push(s_ms);
                fig.warn.push(w_ms);
                fig.cap.push(c_ms);
                fig.work.push(s_ms + w_ms + c_ms);
                fig.tracks.push(snaps.len() as f64);
                let r3 = |x: f64| (x * 1000.0).round() / 1000.0;
                fig.series.push([
                    t,
                    r3(lag),
                    r3(*fig.tick_wait.last().unwrap_or(&0.0)),
                    r3(*fig.ingest.last().unwrap_or(&0.0)),
                    r3(s_ms),
                    r3(w_ms),
                    r3(c_ms),
                    snaps.len() as f64,
                    changes.len() as f64,
                ]);
                if fig.worst.is_none_or(|w| lag > w.1) {
                    fig.worst = Some((t, lag, s_ms, w_ms, c_ms, snaps.len(), changes.len()));
                }
                bar.set_message(format!(
                    "t={t:.0} {} tracks, tick {:.0} ms, lag {lag:.0} ms, {} overruns",
                    snaps.len(),
                    s_ms + w_ms + c_ms,
                    fig.overruns
                ));
                bar.inc(1);
            }
        }
    }
    bar.finish_and_clear();
    let (feed_late, bad_lines) = feeder
        .join()
        .map_err(|_| anyhow::anyhow!("feed thread panicked"))??;
    let wall_s = warm_start.elapsed().as_secs_f64() - warm_wall.as_secs_f64();

    let report_lat = summarize(&mut fig.report_lat);
    let change_lat = summarize(&mut fig.change_lat);
    let tick_lag = summarize(&mut fig.tick_lag);
    let tick_wait = summarize(&mut fig.tick_wait);
    let ingest = summarize(&mut fig.ingest);
    let snapshots = summarize(&mut fig.snapshots);
    let warn_s = summarize(&mut fig.warn);
    let cap = summarize(&mut fig.cap);
    let work = summarize(&mut fig.work);
    let tracks = summarize(&mut fig.tracks);
    let worst = fig.worst.map(|(t, lag, s, w, c, n, ch)| {
        json!({"t": t, "lag_ms": lag, "snapshots_ms": s, "warn_ms": w, "cap_ms": c, "tracks": n, "changes": ch})
    });
    let out = json!({
        "scenario": scenario.meta.name,
        "policy": warn.policy.name(),
        "from_s": args.from,
        "end_s": end,
        "speed": args.speed,
        "tick_ms": args.tick_ms,
        "tick_budget_ms": budget_ms,
        "warmup": {"reports": reports_warm, "wall_s": warm_wall.as_secs_f64()},
        "window": {
            "reports": reports_measured,
            "ticks": ticks_measured,
            "wall_s": wall_s,
            "area_changes": fig.changes,
            "area_changes_without_measured_report": fig.changes_without_report,
            "cap_messages": fig.cap_messages,
            "bad_lines": bad_lines,
        },
        "latency_ms": {
            "report_in_to_cap_out": summary_json(&report_lat),
            "newest_report_to_cap_per_change": summary_json(&change_lat),
            "tick_lag": summary_json(&tick_lag),
            "tick_queue_wait": summary_json(&tick_wait),
        },
        "tick_overruns": fig.overruns,
        "tick_ms_breakdown": {
            "ingest_between_ticks": summary_json(&ingest),
            "snapshots_at": summary_json(&snapshots),
            "warn_step": summary_json(&warn_s),
            "cap": summary_json(&cap),
            "tick_work": summary_json(&work),
        },
        "tracks_per_tick": summary_json(&tracks),
        "worst_tick": worst,
        "backlog_max_messages": fig.backlog_max,
        "feed_late_max_ms": ms(feed_late),
        "machine": machine(),
        "ticks_columns": ["t", "lag_ms", "queue_wait_ms", "ingest_ms", "snapshots_ms", "warn_ms", "cap_ms", "tracks", "changes"],
        "ticks": fig.series,
    });
    if let Some(p) = &args.out {
        std::fs::write(p, serde_json::to_string_pretty(&out)? + "\n")
            .with_context(|| format!("writing {}", p.display()))?;
    }
    let line = |name: &str, s: &Summary| {
        println!(
            "  {name:<34} p50 {:>9.2}  p90 {:>9.2}  p99 {:>9.2}  max {:>9.2}  (n={})",
            s.p50, s.p90, s.p99, s.max, s.n
        );
    };
    println!(
        "bench-latency {}: window {}..{} s at speed {} ({:.0} s wall), tick {} ms (budget {:.0} ms wall)",
        scenario.meta.name, args.from, end, args.speed, wall_s, args.tick_ms, budget_ms
    );
    println!(
        "  warm-up {} reports in {:.1} s; window {} reports, {} ticks, {} area changes, {} CAP messages; tracks p50 {:.0} max {:.0}",
        reports_warm,
        warm_wall.as_secs_f64(),
        reports_measured,
        ticks_measured,
        fig.changes,
        fig.cap_messages,
        tracks.p50,
        tracks.max
    );
    println!("latency, ms:");
    line("report in -> CAP out (per report)", &report_lat);
    line("newest report -> CAP (per change)", &change_lat);
    line("tick end - tick due", &tick_lag);
    line("tick start - tick due (queueing)", &tick_wait);
    println!("per-tick cost, ms:");
    line("ingest (since last tick)", &ingest);
    line("snapshots_at", &snapshots);
    line("warn step", &warn_s);
    line("CAP (publish + feed)", &cap);
    line("tick work (snap + warn + CAP)", &work);
    println!(
        "  {} of {} ticks overran their {:.0} ms budget; max backlog {} messages; feed late by at most {:.1} ms",
        fig.overruns,
        ticks_measured,
        budget_ms,
        fig.backlog_max,
        ms(feed_late)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_is_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(quantile(&v, 0.5), 50.0);
        assert_eq!(quantile(&v, 0.9), 90.0);
        assert_eq!(quantile(&v, 0.99), 99.0);
        assert_eq!(quantile(&v, 1.0), 100.0);
        assert_eq!(quantile(&v, 0.0), 1.0);
        assert_eq!(quantile(&[7.0], 0.99), 7.0);
        assert!(quantile(&[], 0.5).is_nan());
        let mut w = vec![3.0, 1.0, 2.0, 10.0];
        let s = summarize(&mut w);
        assert_eq!(
            (s.n, s.p50, s.p99, s.max, s.mean),
            (4, 2.0, 10.0, 10.0, 4.0)
        );
    }

    #[test]
    fn pacing_schedule() {
        assert_eq!(tick_time(3, 250), 0.75);
        assert_eq!(tick_time(1500, 1000), 1500.0);
        assert_eq!(first_tick_at_or_after(1500.0, 1000), 1500);
        assert_eq!(first_tick_at_or_after(1500.2, 1000), 1501);
        assert_eq!(first_tick_at_or_after(0.7, 250), 3);
        assert_eq!(first_tick_at_or_after(0.0, 100), 0);
        // 10 s of scenario after the window start, at speed 10: 1 s of wall time.
        assert_eq!(due_offset(1510.0, 1500.0, 10.0), Duration::from_secs(1));
        assert_eq!(due_offset(1500.5, 1500.0, 1.0), Duration::from_millis(500));
        // Warm-up traffic is due at once.
        assert_eq!(due_offset(10.0, 1500.0, 1.0), Duration::ZERO);
    }
}
