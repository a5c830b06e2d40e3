//! Writing reports in `rx` order through a bounded reorder buffer.
//!
//! Why this is enough: the simulation advances one whole second at a time, and every
//! report made during second `k` is measured at `t >= k`, so it arrives at
//! `rx >= t >= k`. Once second `k` is simulated, every buffered report with
//! `rx < k + 1` can be written: nothing generated later can arrive before it. The buffer
//! therefore holds only the reports still "in flight" (at most the longest latency,
//! a minute of observer reports), whatever the length of the scenario.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::path::Path;
use std::sync::Arc;

use skywatch_scenario::{JsonlWriter, LabelRecord, WireReport};

use crate::SimError;

/// Where a report came from, for the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    Radar,
    Acoustic,
    Observer,
    Adsb,
}

impl Source {
    /// Name used in summaries.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Radar => "radar",
            Source::Acoustic => "acoustic",
            Source::Observer => "observer",
            Source::Adsb => "adsb",
        }
    }
}

struct Pending {
    rx_ms: i64,
    seq: u64,
    source: Source,
    wire: WireReport,
    label: Option<Arc<str>>,
}

impl PartialEq for Pending {
    fn eq(&self, o: &Self) -> bool {
        (self.rx_ms, self.seq) == (o.rx_ms, o.seq)
    }
}
impl Eq for Pending {}
impl PartialOrd for Pending {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Pending {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (self.rx_ms, self.seq).cmp(&(o.rx_ms, o.seq))
    }
}

/// Counts of written reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// By source (radar, acoustic, observer, adsb).
    pub by_source: BTreeMap<&'static str, u64>,
    /// Reports with no truth object behind them (clutter, false bearings, fakes).
    pub unlabelled: u64,
    pub total: u64,
    /// Largest number of reports held in the reorder buffer at once.
    pub max_buffered: usize,
}

/// Buffers reports and writes them with their labels in `(rx, generation order)`.
pub struct Emitter {
    heap: BinaryHeap<Reverse<Pending>>,
    seq: u64,
    reports: JsonlWriter<WireReport>,
    labels: JsonlWriter<LabelRecord>,
    pub counts: Counts,
}

/// Milliseconds: the file's time resolution.
fn ms(t: f64) -> i64 {
    (t * 1000.0).round() as i64
}

impl Emitter {
    /// Creates (truncates) the reports and labels files.
    pub fn create(reports: &Path, labels: &Path) -> Result<Emitter, SimError> {
        Ok(Emitter {
            heap: BinaryHeap::new(),
            seq: 0,
            reports: JsonlWriter::create(reports)?,
            labels: JsonlWriter::create(labels)?,
            counts: Counts::default(),
        })
    }

    /// Queues a report. `t` and `rx` are rounded to the millisecond here, keeping
    /// `rx >= t` after rounding.
    pub fn push(
        &mut self,
        source: Source,
        t: f64,
        rx: f64,
        mut wire: WireReport,
        label: Option<Arc<str>>,
    ) {
        let t_ms = ms(t);
        let rx_ms = ms(rx).max(t_ms);
        wire.t = t_ms as f64 / 1000.0;
        wire.rx = rx_ms as f64 / 1000.0;
        self.seq += 1;
        self.heap.push(Reverse(Pending {
            rx_ms,
            seq: self.seq,
            source,
            wire,
            label,
        }));
        self.counts.max_buffered = self.counts.max_buffered.max(self.heap.len());
    }

    /// Writes every queued report with `rx < limit_s`.
    pub fn flush_before(&mut self, limit_s: f64) -> Result<(), SimError> {
        let limit = ms(limit_s);
        while let Some(Reverse(p)) = self.heap.peek() {
            if p.rx_ms >= limit {
                break;
            }
            let Some(Reverse(p)) = self.heap.pop() else {
                break;
            };
            self.write(p)?;
        }
        Ok(())
    }

    fn write(&mut self, p: Pending) -> Result<(), SimError> {
        self.reports.write(&p.wire)?;
        if p.label.is_none() {
            self.counts.unlabelled += 1;
        }
        self.labels.write(&LabelRecord {
            truth: p.label.map(|l| l.to_string()),
        })?;
        *self.counts.by_source.entry(p.source.as_str()).or_default() += 1;
        self.counts.total += 1;
        Ok(())
    }

    /// Writes everything left and closes both files.
    pub fn finish(mut self) -> Result<Counts, SimError> {
        while let Some(Reverse(p)) = self.heap.pop() {
            self.write(p)?;
        }
        self.reports.finish()?;
        self.labels.finish()?;
        Ok(self.counts)
    }
}
