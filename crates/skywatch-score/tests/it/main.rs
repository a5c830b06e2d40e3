//! Integration tests of the scorer: whole runs over the shared example scenario, a
//! cross-check of GOSPA against Stone Soup, and warning figures on hand-made cases.

mod example;
mod plot;
mod stonesoup;
mod warning;

use std::path::{Path, PathBuf};

use skywatch_scenario::{JsonlReader, JsonlWriter, LabelRecord, TrackRecord, TruthRecord};

/// The shared example scenario (300 s, radar, acoustic, ADS-B; truth and labels).
pub fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../skywatch-scenario/tests/data/example")
}

/// A copy of the example scenario in a temporary directory, optionally without labels.
pub fn example_copy(with_labels: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in [
        "scenario.json",
        "reports.jsonl",
        "truth.jsonl",
        "labels.jsonl",
    ] {
        if f == "labels.jsonl" && !with_labels {
            continue;
        }
        std::fs::copy(example_dir().join(f), dir.path().join(f)).unwrap();
    }
    dir
}

pub fn read_truth(dir: &Path) -> Vec<TruthRecord> {
    JsonlReader::<TruthRecord>::open(&dir.join("truth.jsonl"))
        .unwrap()
        .map(|r| r.unwrap().1)
        .collect()
}

pub fn read_labels(dir: &Path) -> Vec<Option<String>> {
    JsonlReader::<LabelRecord>::open(&dir.join("labels.jsonl"))
        .unwrap()
        .map(|r| r.unwrap().1.truth)
        .collect()
}

pub fn write_tracks(run: &Path, tracks: &[TrackRecord]) {
    let mut w = JsonlWriter::create(&run.join("tracks.jsonl")).unwrap();
    for t in tracks {
        w.write(t).unwrap();
    }
    w.finish().unwrap();
}

pub fn track(t: f64, id: &str, lat: f64, lon: f64, alt_m: f64) -> TrackRecord {
    TrackRecord {
        t,
        id: id.to_string(),
        lat,
        lon,
        alt_m,
        vn: 0.0,
        ve: 0.0,
        vu: 0.0,
        class: None,
        cov_h_m: None,
        class_p: None,
        icao: None,
        callsign: None,
    }
}
