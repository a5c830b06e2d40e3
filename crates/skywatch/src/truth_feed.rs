//! `--perfect-tracks`: the warning engine fed with the true states of the objects that
//! are observable at each moment, so a user can tell what tracking errors cost from what
//! the warning policy costs.
//!
//! Observability follows the scorer's definition: an object is observable at `T` when a
//! report labelled with it has `T - 60 <= t <= T` and `rx <= T`. Truth and labels are
//! streamed; nothing is held beyond the current second.

use std::collections::HashMap;
use std::iter::Peekable;
use std::sync::Arc;

use skywatch_model::{TrackSnapshot, TruthSample};
use skywatch_scenario::{JsonlReader, LabelRecord, ScenarioDir, TruthRecord};
use skywatch_warn::{PerfectConfig, PerfectTracks};

/// The spec's observation window, seconds.
const OBSERVED_WINDOW_S: f64 = 60.0;

pub struct TruthFeed {
    truth: Peekable<JsonlReader<TruthRecord>>,
    labels: JsonlReader<LabelRecord>,
    /// Latest measurement time of any arrived report, per object.
    last_seen: HashMap<Arc<str>, f64>,
    perfect: PerfectTracks,
    samples: Vec<TruthSample>,
}

impl TruthFeed {
    pub fn open(scenario: &ScenarioDir) -> anyhow::Result<TruthFeed> {
        anyhow::ensure!(
            scenario.has(skywatch_scenario::files::TRUTH)
                && scenario.has(skywatch_scenario::files::LABELS),
            "--perfect-tracks needs truth.jsonl and labels.jsonl in {}",
            scenario.dir.display()
        );
        Ok(TruthFeed {
            truth: scenario.truth()?.peekable(),
            labels: scenario.labels()?,
            last_seen: HashMap::new(),
            perfect: PerfectTracks::new(PerfectConfig::default()),
            samples: Vec::new(),
        })
    }

    /// Called for every report line as it arrives, in file order (labels line up with
    /// report lines one to one).
    /// `t` is the report's measurement time, `None` for a line that could not be read.
    pub fn report_arrived(&mut self, t: Option<f64>) -> anyhow::Result<()> {
        let (_, label) = self
            .labels
            .next()
            .ok_or_else(|| anyhow::anyhow!("labels.jsonl is shorter than reports.jsonl"))??;
        if let (Some(id), Some(t)) = (label.truth, t) {
            let seen = self
                .last_seen
                .entry(Arc::from(id.as_str()))
                .or_insert(f64::NEG_INFINITY);
            *seen = seen.max(t);
        }
        Ok(())
    }

    /// True states at `t` of the objects observable at `t`.
    pub fn snapshots_at(&mut self, t: f64) -> anyhow::Result<Vec<TrackSnapshot>> {
        self.samples.clear();
        // Truth is ordered by t; skip what is older, take the samples at t (1 Hz).
        while let Some(item) = self.truth.peek() {
            let rec_t = match item {
                Ok((_, r)) => r.t,
                Err(_) => {
                    let err = self.truth.next().and_then(Result::err);
                    return Err(err.map_or_else(
                        || anyhow::anyhow!("truth.jsonl read error"),
                        anyhow::Error::from,
                    ));
                }
            };
            if rec_t > t + 1e-6 {
                break;
            }
            let Some(Ok((line, r))) = self.truth.next() else {
                break;
            };
            if (rec_t - t).abs() <= 1e-6 {
                let s = r
                    .to_model()
                    .map_err(|e| anyhow::anyhow!("truth.jsonl:{line}: {e}"))?;
                self.samples.push(s);
            }
        }
        let last_seen = &self.last_seen;
        let observable = |id: &str| {
            last_seen
                .get(id)
                .is_some_and(|&ts| ts >= t - OBSERVED_WINDOW_S)
        };
        Ok(self.perfect.snapshots(t, &self.samples, observable))
    }
}
