//! Truth paths in memory, and which objects were observed when.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use skywatch_model::TruthClass;
use skywatch_scenario::{JsonlReader, LabelRecord, LineError, TruthRecord};

use crate::ScoreError;

/// One truth sample, reduced to what scoring needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TruthPoint {
    /// # Units
    /// Seconds.
    pub t: f64,
    /// # Units
    /// Degrees.
    pub lat: f64,
    /// # Units
    /// Degrees.
    pub lon: f64,
    /// # Units
    /// Metres above the WGS84 ellipsoid.
    pub alt_m: f64,
}

/// All samples of one truth object, in order of time.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectPath {
    pub id: String,
    pub class: TruthClass,
    pub samples: Vec<TruthPoint>,
}

impl ObjectPath {
    /// Position at `t`, interpolated linearly between the samples around it; `None`
    /// outside [first sample, last sample] (the object is not present).
    ///
    /// # Units
    /// Seconds in; degrees, degrees, metres out.
    pub fn position_at(&self, t: f64) -> Option<TruthPoint> {
        let s = &self.samples;
        let k = s.partition_point(|p| p.t < t);
        let b = s.get(k)?;
        if b.t == t {
            return Some(*b);
        }
        let a = s.get(k.checked_sub(1)?)?;
        let w = (t - a.t) / (b.t - a.t);
        let lerp = |x: f64, y: f64| x + (y - x) * w;
        Some(TruthPoint {
            t,
            lat: lerp(a.lat, b.lat),
            lon: lerp(a.lon, b.lon),
            alt_m: lerp(a.alt_m, b.alt_m),
        })
    }
}

/// Reads `truth.jsonl` into one path per object, sorted by id, samples sorted by time.
pub fn read_truth(path: &Path) -> Result<Vec<ObjectPath>, ScoreError> {
    let mut by_id: HashMap<String, ObjectPath> = HashMap::new();
    for item in JsonlReader::<TruthRecord>::open(path)? {
        let (line, r) = item?;
        let class = TruthClass::parse(&r.class).ok_or_else(|| {
            skywatch_scenario::Error::line(
                path,
                line,
                LineError::BadEnum {
                    field: "class",
                    value: r.class.clone(),
                    allowed: "drone, decoy, aircraft, bird",
                },
            )
        })?;
        for (field, v) in [
            ("t", r.t),
            ("lat", r.lat),
            ("lon", r.lon),
            ("alt_m", r.alt_m),
        ] {
            if !v.is_finite() {
                return Err(skywatch_scenario::Error::line(
                    path,
                    line,
                    LineError::NotFinite { field },
                )
                .into());
            }
        }
        let p = TruthPoint {
            t: r.t,
            lat: r.lat,
            lon: r.lon,
            alt_m: r.alt_m,
        };
        by_id
            .entry(r.id.clone())
            .or_insert_with(|| ObjectPath {
                id: r.id,
                class,
                samples: Vec::new(),
            })
            .samples
            .push(p);
    }
    let mut paths: Vec<ObjectPath> = by_id.into_values().collect();
    for p in &mut paths {
        p.samples.sort_by(|a, b| a.t.total_cmp(&b.t));
    }
    paths.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(paths)
}

/// Only the two fields of a report the scorer needs; serde skips the rest of the line
/// without building it, which keeps multi-gigabyte report files cheap to stream.
#[derive(Deserialize)]
struct ReportTimes {
    t: f64,
    rx: f64,
}

/// Which truth objects were observed at each whole second, from labelled reports.
#[derive(Debug, Clone)]
pub struct Observability {
    /// Per object (index into the paths), per step: observed?
    observed: Vec<Vec<bool>>,
    /// Object id to the earliest `t` of a report labelled with it.
    pub first_report_t: HashMap<String, f64>,
    /// Labels naming an object that is not in the truth file.
    pub unknown_labels: usize,
}

impl Observability {
    /// Streams `reports.jsonl` and `labels.jsonl` side by side. An object counts as
    /// observed at step T (T = 0, 1, .., `steps` − 1) if some report labelled with it has
    /// T − 60 ≤ t ≤ T and rx ≤ T. Each report thus marks the whole seconds in
    /// [ceil(max(t, rx)), floor(t + 60)], accumulated with a difference array so a
    /// report costs O(1).
    pub fn read(
        reports: &Path,
        labels: &Path,
        paths: &[ObjectPath],
        steps: usize,
    ) -> Result<Observability, ScoreError> {
        let index: HashMap<&str, usize> = paths
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), i))
            .collect();
        let mut diff: Vec<Vec<i32>> = vec![Vec::new(); paths.len()];
        let mut first_report_t: HashMap<String, f64> = HashMap::new();
        let mut unknown_labels = 0;
        let mut reps = JsonlReader::<ReportTimes>::open(reports)?;
        let mut labs = JsonlReader::<LabelRecord>::open(labels)?;
        let mut count = 0u64;
        loop {
            let (r, l) = match (reps.next(), labs.next()) {
                (None, None) => break,
                (Some(r), Some(l)) => (r?, l?),
                _ => {
                    return Err(ScoreError::LabelsMismatch {
                        labels: labels.to_path_buf(),
                        after: count,
                    });
                }
            };
            count += 1;
            let ((_, rep), (_, lab)) = (r, l);
            let Some(id) = lab.truth else { continue };
            let Some(&i) = index.get(id.as_str()) else {
                unknown_labels += 1;
                continue;
            };
            first_report_t
                .entry(id)
                .and_modify(|t0| *t0 = t0.min(rep.t))
                .or_insert(rep.t);
            let lo = rep.t.max(rep.rx).ceil().max(0.0);
            let hi = (rep.t + 60.0).floor().min(steps as f64 - 1.0);
            // JSON has no NaN, so this is a plain comparison.
            if lo > hi {
                continue;
            }
            let d = &mut diff[i];
            if d.is_empty() {
                d.resize(steps + 1, 0);
            }
            d[lo as usize] += 1;
            d[hi as usize + 1] -= 1;
        }
        let observed = diff
            .into_iter()
            .map(|d| {
                let mut run = 0;
                d.iter()
                    .take(steps)
                    .map(|x| {
                        run += x;
                        run > 0
                    })
                    .collect()
            })
            .collect();
        Ok(Observability {
            observed,
            first_report_t,
            unknown_labels,
        })
    }

    /// Whether object `i` (index into the paths) was observed at step `step`.
    pub fn observed(&self, i: usize, step: usize) -> bool {
        self.observed
            .get(i)
            .and_then(|v| v.get(step))
            .copied()
            .unwrap_or(false)
    }
}
