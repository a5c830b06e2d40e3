//! Tracking figures over a run: GOSPA per whole second, its means and parts, ID
//! switches. Fed one step at a time ([`TrackingAccumulator::add_step`]) so that callers
//! can score in-memory data as easily as files.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::gospa::{GospaStep, Point2, gospa_step};

/// One second of the per-step series, for plots and closer looks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepFigures {
    /// Scenario time of the step.
    ///
    /// # Units
    /// Seconds.
    pub t: f64,
    /// # Units
    /// Metres.
    pub gospa: f64,
    /// Sum of squared distances of the assigned pairs.
    ///
    /// # Units
    /// Square metres.
    pub localisation_sq: f64,
    pub truth: usize,
    pub tracks: usize,
    pub missed: usize,
    pub false_tracks: usize,
}

/// Tracking figures, as the spec's scoring section defines them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrackingScore {
    /// GOSPA cut-off c.
    ///
    /// # Units
    /// Metres.
    pub c_m: f64,
    /// Number of whole-second steps scored.
    pub steps: usize,
    /// Mean of GOSPA over steps.
    ///
    /// # Units
    /// Metres.
    pub mean_gospa_m: f64,
    /// Mean number of truth objects (observed) per step.
    pub mean_truth: f64,
    /// Mean number of reported tracks per step.
    pub mean_tracks: f64,
    pub mean_missed: f64,
    pub mean_false: f64,
    /// RMS distance of all assigned pairs over all steps (0 when nothing was assigned).
    ///
    /// # Units
    /// Metres.
    pub rms_distance_m: f64,
    /// Mean over steps of the localisation part of GOSPA² (sum of squared distances).
    ///
    /// # Units
    /// Square metres.
    pub mean_localisation_sq: f64,
    /// Mean over steps of the missed part of GOSPA², (c²/2)·missed.
    ///
    /// # Units
    /// Square metres.
    pub mean_missed_sq: f64,
    /// Mean over steps of the false part of GOSPA², (c²/2)·false.
    ///
    /// # Units
    /// Square metres.
    pub mean_false_sq: f64,
    /// Track-ID switches summed over truth objects.
    pub id_switches: usize,
    /// Distinct track ids reported over the steps scored.
    pub distinct_track_ids: usize,
    /// Distinct truth objects that were in the truth set at some step.
    pub truth_objects: usize,
    /// Per-second figures.
    pub series: Vec<StepFigures>,
}

/// Accumulates per-step GOSPA into a [`TrackingScore`].
///
/// Truth objects and tracks are named by caller-chosen integer keys, which is what ID
/// switches are counted on.
#[derive(Debug, Clone)]
pub struct TrackingAccumulator {
    c: f64,
    series: Vec<StepFigures>,
    sum_l: f64,
    assigned: usize,
    /// Per truth key, the last track key assigned to it.
    last_track: HashMap<u64, u64>,
    switches: usize,
    track_ids: HashSet<u64>,
    truth_ids: HashSet<u64>,
}

impl TrackingAccumulator {
    /// # Units
    /// `c` in metres.
    pub fn new(c: f64) -> Self {
        TrackingAccumulator {
            c,
            series: Vec::new(),
            sum_l: 0.0,
            assigned: 0,
            last_track: HashMap::new(),
            switches: 0,
            track_ids: HashSet::new(),
            truth_ids: HashSet::new(),
        }
    }

    /// Scores one step: `truth` and `tracks` are (key, horizontal position) pairs.
    /// Returns that step's GOSPA.
    ///
    /// # Units
    /// `t` in seconds, positions in metres (east, north).
    pub fn add_step(
        &mut self,
        t: f64,
        truth: &[(u64, Point2)],
        tracks: &[(u64, Point2)],
    ) -> GospaStep {
        let tp: Vec<Point2> = truth.iter().map(|x| x.1).collect();
        let ep: Vec<Point2> = tracks.iter().map(|x| x.1).collect();
        let g = gospa_step(&tp, &ep, self.c);
        for &(i, j) in &g.pairs {
            let (obj, trk) = (truth[i].0, tracks[j].0);
            if let Some(prev) = self.last_track.insert(obj, trk)
                && prev != trk
            {
                self.switches += 1;
            }
        }
        self.truth_ids.extend(truth.iter().map(|x| x.0));
        self.track_ids.extend(tracks.iter().map(|x| x.0));
        self.sum_l += g.localisation_sq;
        self.assigned += g.pairs.len();
        self.series.push(StepFigures {
            t,
            gospa: g.gospa,
            localisation_sq: g.localisation_sq,
            truth: truth.len(),
            tracks: tracks.len(),
            missed: g.missed,
            false_tracks: g.false_tracks,
        });
        g
    }

    /// The figures over all steps added so far (all zero for no steps).
    pub fn finish(self) -> TrackingScore {
        let s = &self.series;
        let k = s.len().max(1) as f64;
        let mean = |f: &dyn Fn(&StepFigures) -> f64| s.iter().map(f).sum::<f64>() / k;
        let half_c_sq = self.c * self.c / 2.0;
        TrackingScore {
            c_m: self.c,
            steps: s.len(),
            mean_gospa_m: mean(&|x| x.gospa),
            mean_truth: mean(&|x| x.truth as f64),
            mean_tracks: mean(&|x| x.tracks as f64),
            mean_missed: mean(&|x| x.missed as f64),
            mean_false: mean(&|x| x.false_tracks as f64),
            rms_distance_m: if self.assigned == 0 {
                0.0
            } else {
                (self.sum_l / self.assigned as f64).sqrt()
            },
            mean_localisation_sq: mean(&|x| x.localisation_sq),
            mean_missed_sq: mean(&|x| half_c_sq * x.missed as f64),
            mean_false_sq: mean(&|x| half_c_sq * x.false_tracks as f64),
            id_switches: self.switches,
            distinct_track_ids: self.track_ids.len(),
            truth_objects: self.truth_ids.len(),
            series: self.series,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switches_counted_on_changes_of_assigned_id_only() {
        let mut acc = TrackingAccumulator::new(1000.0);
        // Object 1 tracked by 10, then missed (no switch), then by 10 again, then by 11
        // (one switch), then back to 10 (another).
        acc.add_step(0.0, &[(1, [0.0, 0.0])], &[(10, [5.0, 0.0])]);
        acc.add_step(1.0, &[(1, [0.0, 0.0])], &[]);
        acc.add_step(2.0, &[(1, [0.0, 0.0])], &[(10, [0.0, 5.0])]);
        acc.add_step(
            3.0,
            &[(1, [0.0, 0.0])],
            &[(11, [0.0, 5.0]), (10, [3000.0, 0.0])],
        );
        acc.add_step(4.0, &[(1, [0.0, 0.0])], &[(10, [0.0, 0.0])]);
        let s = acc.finish();
        assert_eq!(s.id_switches, 2);
        assert_eq!(s.distinct_track_ids, 2);
        assert_eq!(s.steps, 5);
        // Step 1: one miss; step 3: one false.
        assert!((s.mean_missed - 0.2).abs() < 1e-12);
        assert!((s.mean_false - 0.2).abs() < 1e-12);
        // Four assigned pairs at 5, 5, 5, 0 m.
        assert!((s.rms_distance_m - (75.0f64 / 4.0).sqrt()).abs() < 1e-12);
        let half = 500_000.0f64;
        let expect_mean = (5.0 + half.sqrt() + 5.0 + (25.0 + half).sqrt() + 0.0) / 5.0;
        assert!((s.mean_gospa_m - expect_mean).abs() < 1e-9);
        assert!((s.mean_missed_sq - half / 5.0).abs() < 1e-6);
    }
}
