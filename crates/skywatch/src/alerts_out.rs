//! Writes what the warning policy decides each second: `alerts.jsonl` (the spec's state
//! changes), `alert-reasons.jsonl` (why each change happened), and the CAP 1.2 messages
//! with the Atom feed of current alerts under `cap/`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use serde::Serialize;
use skywatch_areas::AreaSet;
use skywatch_cap::{CapConfig, CapMessage, CapPublisher, FeedConfig, atom_feed};
use skywatch_model::{AlertChange, TrackSnapshot};
use skywatch_scenario::{AlertRecord, JsonlWriter};
use skywatch_warn::{AreaChange, PolicyKind, WarnConfig, WarningPolicy, build_policy};

/// Re-publish an alert this long before its CAP `expires`, so receivers never see a
/// warning lapse while the threat is still coming.
const CAP_REFRESH_BEFORE_EXPIRY_S: f64 = 120.0;

/// One line of `alert-reasons.jsonl`: the audit trail behind each state change.
#[derive(Serialize)]
struct ReasonRecord<'a> {
    t: f64,
    area: &'a str,
    state: &'static str,
    rule: &'static str,
    p_entry: f64,
    window_s: f64,
    tracks: Vec<TrackReasonRecord>,
}

#[derive(Serialize)]
struct TrackReasonRecord {
    track: u64,
    p_threat: f64,
    p_entry: f64,
    inside: bool,
    coasting: bool,
    route_share: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    eta_p10_s: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    eta_p50_s: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    eta_p90_s: Option<f64>,
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// How often `forecasts.jsonl` gets the policy's entry probabilities, seconds: every
/// tenth second is enough to measure how well they are calibrated, and keeps the file
/// to a few MB an hour of a wave.
const FORECAST_EVERY_S: i64 = 10;

/// One line of `forecasts.jsonl` (`skywatch replay --forecasts`): a track's probability
/// of entering an area within each of `skywatch_warn::FORECAST_WINDOWS_S` (60, 120, 180
/// and 300 s), without its threat probability.
#[derive(Serialize)]
struct ForecastRecord<'a> {
    t: f64,
    track: u64,
    area: &'a str,
    coasting: bool,
    p_threat: f64,
    p_within: [f64; skywatch_warn::FORECAST_WINDOWS_S.len()],
}

/// Counts of what was written.
#[derive(Debug, Default, Clone, Copy)]
pub struct AlertSummary {
    pub on: u64,
    pub off: u64,
    pub cap_messages: u64,
}

pub struct AlertsOut {
    policy: Box<dyn WarningPolicy + Send>,
    areas: Arc<AreaSet>,
    alerts: JsonlWriter<AlertRecord>,
    reasons: JsonlWriter<serde_json::Value>,
    cap: CapPublisher,
    cap_dir: PathBuf,
    feed_cfg: FeedConfig,
    epoch_unix_s: f64,
    /// Messages of the alerts that are current (dropped once an area's all-clear is out),
    /// so the feed's input stays bounded however long the run.
    live: Vec<CapMessage>,
    summary: AlertSummary,
    forecasts: Option<JsonlWriter<serde_json::Value>>,
}

impl AlertsOut {
    pub fn new(
        kind: PolicyKind,
        warn: WarnConfig,
        areas: Arc<AreaSet>,
        run_dir: &Path,
        epoch_unix_s: f64,
        simulated: bool,
    ) -> anyhow::Result<AlertsOut> {
        let policy =
            build_policy(kind, warn, areas.clone()).context("building the warning policy")?;
        let cap_dir = run_dir.join("cap");
        std::fs::create_dir_all(&cap_dir)
            .with_context(|| format!("creating {}", cap_dir.display()))?;
        let cap_cfg = CapConfig {
            simulated,
            ..CapConfig::default()
        };
        Ok(AlertsOut {
            policy,
            areas,
            alerts: JsonlWriter::create(&run_dir.join("alerts.jsonl"))?,
            reasons: JsonlWriter::create(&run_dir.join("alert-reasons.jsonl"))?,
            cap: CapPublisher::new(cap_cfg, epoch_unix_s).context("CAP configuration")?,
            cap_dir,
            feed_cfg: FeedConfig::default(),
            epoch_unix_s,
            live: Vec::new(),
            summary: AlertSummary::default(),
            forecasts: None,
        })
    }

    /// Also write the policy's entry probabilities to `RUN/forecasts.jsonl` every
    /// `FORECAST_EVERY_S` seconds ([`WarningPolicy::forecasts`]).
    pub fn with_forecasts(mut self, run_dir: &Path) -> anyhow::Result<AlertsOut> {
        self.forecasts = Some(JsonlWriter::create(&run_dir.join("forecasts.jsonl"))?);
        Ok(self)
    }

    fn write_forecasts(&mut self, t: f64) -> anyhow::Result<()> {
        let Some(w) = self.forecasts.as_mut() else {
            return Ok(());
        };
        if t.fract() != 0.0 || (t as i64) % FORECAST_EVERY_S != 0 {
            return Ok(());
        }
        for f in self.policy.forecasts() {
            let rec = ForecastRecord {
                t: f.t,
                track: f.track,
                area: &self.areas.get(f.area).code,
                coasting: f.coasting,
                p_threat: round3(f.p_threat),
                p_within: f.p_within.map(round3),
            };
            w.write(&serde_json::to_value(&rec)?)?;
        }
        Ok(())
    }

    /// One second of the run: feed the policy the shown tracks and the ids of those
    /// the tracker hides as explained ([`WarningPolicy::explained`]), write what
    /// changed.
    pub fn second(
        &mut self,
        t: f64,
        snaps: &[TrackSnapshot],
        hidden: &[u64],
    ) -> anyhow::Result<()> {
        self.policy.explained(t, hidden);
        let changes = self.policy.step(t, snaps);
        self.write_forecasts(t)?;
        let mut published = false;
        for c in &changes {
            self.write_change(c)?;
            self.publish(&c.change)?;
            published = true;
        }
        // Long warnings are refreshed (CAP Update) before they expire.
        for refresh in refreshes_due(&self.cap, t) {
            self.publish(&refresh)?;
            published = true;
        }
        if published {
            let feed = atom_feed(&self.live, &self.feed_cfg, self.epoch_unix_s + t)
                .context("writing the Atom feed")?;
            let path = self.cap_dir.join("feed.atom");
            std::fs::write(&path, feed).with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(())
    }

    fn write_change(&mut self, c: &AreaChange) -> anyhow::Result<()> {
        let ch = &c.change;
        self.alerts.write(&AlertRecord::from_model(ch))?;
        if ch.on {
            self.summary.on += 1;
        } else {
            self.summary.off += 1;
        }
        let r = &c.reason;
        let rec = ReasonRecord {
            t: ch.t,
            area: &ch.area,
            state: if ch.on { "on" } else { "off" },
            rule: r.rule.as_str(),
            p_entry: round3(r.p_entry),
            window_s: round1(r.window_s),
            tracks: r
                .tracks
                .iter()
                .map(|tr| TrackReasonRecord {
                    track: tr.track,
                    p_threat: round3(tr.p_threat),
                    p_entry: round3(tr.p_entry),
                    inside: tr.inside,
                    coasting: tr.coasting,
                    route_share: round3(tr.route_share),
                    eta_p10_s: tr.eta.map(|e| round1(e.p10_s)),
                    eta_p50_s: tr.eta.map(|e| round1(e.p50_s)),
                    eta_p90_s: tr.eta.map(|e| round1(e.p90_s)),
                })
                .collect(),
        };
        self.reasons.write(&serde_json::to_value(&rec)?)?;
        tracing::debug!(t = ch.t, area = %ch.area, on = ch.on, rule = r.rule.as_str(), p_entry = r.p_entry, "Warning area changed.");
        Ok(())
    }

    fn publish(&mut self, change: &AlertChange) -> anyhow::Result<()> {
        let Some(id) = self.areas.by_code(&change.area) else {
            anyhow::bail!(
                "warning policy named area {:?}, which is not in the area set",
                change.area
            );
        };
        let msg = self
            .cap
            .publish(change, self.areas.get(id))
            .with_context(|| format!("CAP message for area {} at t={}", change.area, change.t))?;
        let path = self.cap_dir.join(msg.file_name());
        std::fs::write(&path, &msg.xml).with_context(|| format!("writing {}", path.display()))?;
        self.summary.cap_messages += 1;
        if change.on {
            self.live.push(msg);
        } else {
            // The all-clear ends the alert: it leaves the feed.
            self.live.retain(|m| m.area_code != msg.area_code);
        }
        Ok(())
    }

    pub fn finish(self) -> anyhow::Result<AlertSummary> {
        self.alerts.finish()?;
        self.reasons.finish()?;
        if let Some(w) = self.forecasts {
            w.finish()?;
        }
        Ok(self.summary)
    }
}

/// The CAP Updates due at `t`: one per warning that would otherwise expire within
/// `CAP_REFRESH_BEFORE_EXPIRY_S` (shared by `replay` and `bench-latency`, so both do
/// the same CAP work).
pub(crate) fn refreshes_due(cap: &CapPublisher, t: f64) -> Vec<AlertChange> {
    cap.expiring(t, CAP_REFRESH_BEFORE_EXPIRY_S)
        .into_iter()
        .map(|area| AlertChange {
            t,
            area: Arc::from(area),
            on: true,
            eta_s: None,
            tracks: Vec::new(),
        })
        .collect()
}
