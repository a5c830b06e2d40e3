//! The `skywatch-scenario/1` interchange format (spec: `docs/scenario-v1.md`).
//!
//! This crate owns the wire form of scenarios, reports, truth, labels, tracks and
//! alerts. Everything else in Skywatch speaks the domain types of `skywatch-model`;
//! conversion happens here, explicitly, with errors that name file, line and field.
//!
//! Readers stream: a reports file of any size is read a line at a time
//! ([`JsonlReader`]), never loaded whole. Writers are buffered ([`JsonlWriter`]).
//!
//! Validation follows the spec: unknown `format` values are rejected, unknown fields
//! are ignored (forward compatibility), lines that are not JSON or miss a required
//! field are errors naming the file and line. A batch tool stops at the first error; a
//! live service counts it, logs it and goes on (the reader keeps going after an error).

mod error;
mod jsonl;
mod wire;

pub use error::{Error, LineError};
pub use jsonl::{JsonlReader, JsonlWriter};
pub use wire::*;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use skywatch_model::{Report, SensorId};

/// The only format this crate reads and writes.
pub const FORMAT_V1: &str = "skywatch-scenario/1";

/// File names inside a scenario directory.
pub mod files {
    pub const SCENARIO: &str = "scenario.json";
    pub const REPORTS: &str = "reports.jsonl";
    pub const TRUTH: &str = "truth.jsonl";
    pub const LABELS: &str = "labels.jsonl";
    pub const AREAS: &str = "areas.geojson";
    pub const TRACKS: &str = "tracks.jsonl";
    pub const ALERTS: &str = "alerts.jsonl";
}

/// An opened scenario directory: its metadata and sensor table, with streaming access
/// to its line files.
#[derive(Debug, Clone)]
pub struct ScenarioDir {
    pub dir: PathBuf,
    pub meta: ScenarioMeta,
    pub sensors: SensorTable,
}

impl ScenarioDir {
    /// Reads and checks `scenario.json`. Nothing else is read yet.
    pub fn open(dir: impl AsRef<Path>) -> Result<ScenarioDir, Error> {
        let dir = dir.as_ref().to_path_buf();
        let meta = ScenarioMeta::read(&dir.join(files::SCENARIO))?;
        let sensors = SensorTable::new(&meta.sensors);
        Ok(ScenarioDir { dir, meta, sensors })
    }

    pub fn path(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }

    pub fn has(&self, file: &str) -> bool {
        self.path(file).is_file()
    }

    /// Reports in file order (order of `rx`), as wire records, each checked against the
    /// spec. Items are `(line number, record)`.
    pub fn wire_reports(&self) -> Result<ReportReader, Error> {
        ReportReader::open(&self.path(files::REPORTS))
    }

    /// Reports in file order converted to domain reports, with sensor positions resolved.
    pub fn reports(
        &self,
    ) -> Result<impl Iterator<Item = Result<(u64, Report), Error>> + '_, Error> {
        let path = self.path(files::REPORTS);
        let reader = self.wire_reports()?;
        Ok(reader.map(move |item| {
            let (line, wire) = item?;
            let report = wire
                .to_model(&self.sensors)
                .map_err(|kind| Error::line(&path, line, kind))?;
            Ok((line, report))
        }))
    }

    /// Truth samples in file order.
    pub fn truth(&self) -> Result<JsonlReader<TruthRecord>, Error> {
        JsonlReader::open(&self.path(files::TRUTH))
    }

    /// Labels in file order (line *i* belongs to report line *i*).
    pub fn labels(&self) -> Result<JsonlReader<LabelRecord>, Error> {
        JsonlReader::open(&self.path(files::LABELS))
    }

    /// Origin of the local ENU frame for scoring, if the scenario names one.
    pub fn centre(&self) -> Option<skywatch_geo::Geodetic> {
        self.meta.centre.map(|c| c.to_geodetic())
    }
}

/// Fixed sensors by id.
#[derive(Debug, Clone, Default)]
pub struct SensorTable {
    by_id: HashMap<String, (SensorId, SensorSpec)>,
}

impl SensorTable {
    pub fn new(sensors: &[SensorSpec]) -> Self {
        let by_id = sensors
            .iter()
            .map(|s| (s.id.clone(), (SensorId::new(&s.id), s.clone())))
            .collect();
        SensorTable { by_id }
    }

    pub fn get(&self, id: &str) -> Option<&SensorSpec> {
        self.by_id.get(id).map(|(_, s)| s)
    }

    /// The interned id of a known sensor, so that reports from it share one allocation.
    pub fn id(&self, id: &str) -> Option<&SensorId> {
        self.by_id.get(id).map(|(i, _)| i)
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

/// Streams `reports.jsonl`, checking each line and the `rx` ordering.
pub struct ReportReader {
    inner: JsonlReader<WireReport>,
    last_rx: f64,
}

impl ReportReader {
    pub fn open(path: &Path) -> Result<ReportReader, Error> {
        Ok(ReportReader {
            inner: JsonlReader::open(path)?,
            last_rx: f64::NEG_INFINITY,
        })
    }

    pub fn from_reader(path: &Path, reader: impl std::io::Read + Send + 'static) -> ReportReader {
        ReportReader {
            inner: JsonlReader::from_reader(path, reader),
            last_rx: f64::NEG_INFINITY,
        }
    }
}

impl Iterator for ReportReader {
    type Item = Result<(u64, WireReport), Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let (line, r) = match self.inner.next()? {
            Ok(x) => x,
            Err(e) => return Some(Err(e)),
        };
        if let Err(kind) = r.check() {
            return Some(Err(Error::line(self.inner.path(), line, kind)));
        }
        // Tolerance: files written with rounded times may tie or step back by rounding.
        if r.rx < self.last_rx - 1e-6 {
            return Some(Err(Error::line(
                self.inner.path(),
                line,
                LineError::OutOfOrder {
                    field: "rx",
                    prev: self.last_rx,
                    value: r.rx,
                },
            )));
        }
        self.last_rx = self.last_rx.max(r.rx);
        Some(Ok((line, r)))
    }
}

#[cfg(test)]
mod tests;
