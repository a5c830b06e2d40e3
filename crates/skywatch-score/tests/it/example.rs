//! Whole runs over the example scenario: perfect tracks score zero, no tracks score the
//! pure-miss value computed here independently of the scorer.

use std::collections::{BTreeMap, BTreeSet};

use skywatch_scenario::TrackRecord;
use skywatch_score::{ScoreConfig, score_run};

use crate::{example_copy, read_labels, read_truth, track, write_tracks};

const C: f64 = 1000.0;
const STEPS: usize = 301;

fn scored_class(c: &str) -> bool {
    matches!(c, "drone" | "decoy" | "aircraft")
}

/// Per whole second, the ids observed at that second, the spec's rule written naively:
/// some report labelled with the object has T − 60 ≤ t ≤ T and rx ≤ T.
fn observed_naive(dir: &std::path::Path) -> Vec<BTreeSet<String>> {
    let labels = read_labels(dir);
    let text = std::fs::read_to_string(dir.join("reports.jsonl")).unwrap();
    let mut out = vec![BTreeSet::new(); STEPS];
    for (line, label) in text.lines().zip(labels) {
        let Some(id) = label else { continue };
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let (t, rx) = (v["t"].as_f64().unwrap(), v["rx"].as_f64().unwrap());
        for (step, set) in out.iter_mut().enumerate() {
            let big_t = step as f64;
            if big_t - 60.0 <= t && t <= big_t && rx <= big_t {
                set.insert(id.clone());
            }
        }
    }
    out
}

/// Truth records at whole seconds of the scored classes, by (second, id).
fn truth_by_step(dir: &std::path::Path) -> BTreeMap<(usize, String), TrackRecord> {
    read_truth(dir)
        .into_iter()
        .filter(|r| scored_class(&r.class) && r.t.fract() == 0.0)
        .map(|r| {
            (
                (r.t as usize, r.id.clone()),
                track(r.t, &r.id, r.lat, r.lon, r.alt_m),
            )
        })
        .collect()
}

#[test]
fn tracks_equal_to_truth_score_zero_without_labels() {
    let scenario = example_copy(false);
    let run = tempfile::tempdir().unwrap();
    let truth = truth_by_step(scenario.path());
    let tracks: Vec<TrackRecord> = truth.values().cloned().collect();
    write_tracks(run.path(), &tracks);
    let s = score_run(scenario.path(), run.path(), &ScoreConfig::default()).unwrap();
    let t = &s.tracking;
    assert!(!s.labelled);
    assert_eq!(t.steps, STEPS);
    assert!(t.mean_gospa_m < 1e-9, "mean GOSPA {}", t.mean_gospa_m);
    assert!(t.series.iter().all(|x| x.gospa < 1e-9));
    assert_eq!((t.mean_missed, t.mean_false, t.id_switches), (0.0, 0.0, 0));
    assert_eq!(t.rms_distance_m, 0.0);
    // Every line is a track: the mean track count is the mean truth count.
    assert!((t.mean_tracks - tracks.len() as f64 / STEPS as f64).abs() < 1e-12);
    assert_eq!(t.mean_truth, t.mean_tracks);
    // Ten objects in the example: six aircraft, four drones.
    assert_eq!((t.distinct_track_ids, t.truth_objects), (10, 10));
    assert!(s.warning.is_none());
}

#[test]
fn tracks_equal_to_observed_truth_score_zero_with_labels() {
    let scenario = example_copy(true);
    let run = tempfile::tempdir().unwrap();
    let observed = observed_naive(scenario.path());
    let truth = truth_by_step(scenario.path());
    let tracks: Vec<TrackRecord> = truth
        .iter()
        .filter(|((step, id), _)| observed[*step].contains(id))
        .map(|(_, r)| r.clone())
        .collect();
    // The case is not trivial: some seconds have objects present but not yet observed.
    assert!(tracks.len() < truth.len() && !tracks.is_empty());
    write_tracks(run.path(), &tracks);
    let s = score_run(scenario.path(), run.path(), &ScoreConfig::default()).unwrap();
    let t = &s.tracking;
    assert!(s.labelled);
    assert!(t.mean_gospa_m < 1e-9, "mean GOSPA {}", t.mean_gospa_m);
    assert_eq!((t.mean_missed, t.mean_false, t.id_switches), (0.0, 0.0, 0));
    assert!((t.mean_truth - tracks.len() as f64 / STEPS as f64).abs() < 1e-12);
}

#[test]
fn empty_run_scores_the_pure_miss_value() {
    let scenario = example_copy(true);
    let run = tempfile::tempdir().unwrap();
    write_tracks(run.path(), &[]);
    let observed = observed_naive(scenario.path());
    let truth = truth_by_step(scenario.path());
    // n_T: observed objects of the scored classes present at T.
    let n: Vec<usize> = (0..STEPS)
        .map(|step| {
            observed[step]
                .iter()
                .filter(|id| truth.contains_key(&(step, (*id).clone())))
                .count()
        })
        .collect();
    assert!(n.iter().any(|&k| k > 0));
    let expect: Vec<f64> = n.iter().map(|&k| (C * C / 2.0 * k as f64).sqrt()).collect();
    let s = score_run(scenario.path(), run.path(), &ScoreConfig::default()).unwrap();
    let t = &s.tracking;
    for (step, (got, want)) in t.series.iter().zip(&expect).enumerate() {
        assert!(
            (got.gospa - want).abs() < 1e-9,
            "step {step}: {} vs {want}",
            got.gospa
        );
        assert_eq!(got.missed, n[step]);
    }
    let mean = expect.iter().sum::<f64>() / STEPS as f64;
    assert!((t.mean_gospa_m - mean).abs() < 1e-9);
    let mean_n = n.iter().sum::<usize>() as f64 / STEPS as f64;
    assert!((t.mean_missed - mean_n).abs() < 1e-12);
    assert!((t.mean_missed_sq - C * C / 2.0 * mean_n).abs() < 1e-6);
    assert_eq!(
        (t.mean_false, t.mean_localisation_sq, t.id_switches),
        (0.0, 0.0, 0)
    );
    assert_eq!(t.distinct_track_ids, 0);
}

#[test]
fn missing_tracks_file_is_an_error_naming_it() {
    let scenario = example_copy(false);
    let run = tempfile::tempdir().unwrap();
    let err = score_run(scenario.path(), run.path(), &ScoreConfig::default()).unwrap_err();
    assert!(err.to_string().contains("tracks.jsonl"), "{err}");
}
