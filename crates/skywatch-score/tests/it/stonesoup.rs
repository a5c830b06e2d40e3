//! GOSPA cross-check against Stone Soup's `GOSPAMetric` (p = 2, c = 1000 m, no switching
//! penalty) on noisy tracks of the example scenario with misses, false tracks and ID
//! swaps, generated deterministically. Needs Python with `stonesoup` (the interpreter is
//! `$SKYWATCH_PYTHON`, default `python3`); without it the test fails, it never skips.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use skywatch_scenario::TrackRecord;
use skywatch_score::{LoadedRun, ScoreConfig};

use crate::{example_copy, read_truth, track, write_tracks};

/// xorshift64*: a tiny deterministic generator, so the case is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Roughly normal (Irwin-Hall of 4), unit variance.
    fn normal(&mut self) -> f64 {
        ((0..4).map(|_| self.next()).sum::<f64>() - 2.0) * 3.0f64.sqrt()
    }
}

/// Noisy tracks: each object at each whole second is missed with probability 0.15,
/// otherwise reported with 250 m noise (or 800 m, 10 % of the time, so some pairs fall
/// beyond c); ids of D023 and AC06 are swapped between 100 s and 200 s; and 0-2 false
/// tracks per second are scattered within ~5 km of an object.
fn noisy_tracks(scenario: &Path) -> Vec<TrackRecord> {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let mut out = Vec::new();
    let truth = read_truth(scenario);
    let deg = 1.0 / 111_000.0;
    for r in truth
        .iter()
        .filter(|r| r.t.fract() == 0.0 && r.class != "bird")
    {
        if rng.next() < 0.15 {
            continue;
        }
        let sd = if rng.next() < 0.1 { 800.0 } else { 250.0 };
        let id = match (r.id.as_str(), (100.0..200.0).contains(&r.t)) {
            ("D023", true) => "AC06",
            ("AC06", true) => "D023",
            (id, _) => id,
        };
        let lat = r.lat + rng.normal() * sd * deg;
        let lon = r.lon + rng.normal() * sd * deg / r.lat.to_radians().cos();
        out.push(track(r.t, id, lat, lon, r.alt_m));
        if rng.next() < 0.3 {
            let lat = r.lat + (rng.next() - 0.5) * 10_000.0 * deg;
            let lon = r.lon + (rng.next() - 0.5) * 10_000.0 * deg / r.lat.to_radians().cos();
            out.push(track(r.t, &format!("F{}-{}", r.t, r.id), lat, lon, 0.0));
        }
    }
    out.sort_by(|a, b| a.t.total_cmp(&b.t));
    out
}

fn stonesoup(input: &serde_json::Value) -> Vec<[f64; 4]> {
    let python = std::env::var("SKYWATCH_PYTHON").unwrap_or_else(|_| "python3".to_string());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/stonesoup_gospa.py");
    let mut child = Command::new(&python)
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot run {python:?} (set SKYWATCH_PYTHON to a Python with stonesoup): {e}")
        });
    let body = serde_json::to_vec(input).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Write from a thread so a large input cannot deadlock against a full stdout pipe.
    let writer = std::thread::spawn(move || stdin.write_all(&body));
    let out = child.wait_with_output().unwrap();
    let written = writer.join().unwrap();
    // Check the exit status first: a Python that fails at import closes stdin early, and
    // its error message is the useful one.
    assert!(
        out.status.success(),
        "{python} {} failed (is stonesoup installed? see .ci/requirements.txt): {}",
        script.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    written.expect("writing the steps to the stonesoup script");
    serde_json::from_slice(&out.stdout).expect("stonesoup script output is JSON")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn gospa_agrees_with_stone_soup_at_every_step() {
    let scenario = example_copy(true);
    let run = tempfile::tempdir().unwrap();
    write_tracks(run.path(), &noisy_tracks(scenario.path()));
    let loaded = LoadedRun::load(scenario.path(), run.path()).unwrap();
    let score = loaded.score(&ScoreConfig::default());
    let pts = |v: &[(u64, [f64; 2])]| v.iter().map(|x| x.1.to_vec()).collect::<Vec<_>>();
    let steps: Vec<serde_json::Value> = (0..loaded.steps)
        .map(|k| {
            serde_json::json!({
                "truth": pts(&loaded.truth_at(k)),
                "tracks": pts(&loaded.tracks_by_step[k]),
            })
        })
        .collect();
    let theirs = stonesoup(&serde_json::json!({"c": 1000.0, "steps": steps}));
    assert_eq!(theirs.len(), score.tracking.series.len());
    let half_c_sq = 500_000.0;
    let (mut missed, mut false_, mut assigned) = (0, 0, 0);
    for (k, (ours, [d, loc, miss, fal])) in score.tracking.series.iter().zip(&theirs).enumerate() {
        assert!(
            close(ours.gospa, *d),
            "step {k}: GOSPA {} vs Stone Soup {d}",
            ours.gospa
        );
        assert!(
            close(ours.localisation_sq, *loc),
            "step {k}: localisation {} vs {loc}",
            ours.localisation_sq
        );
        assert!(
            close(half_c_sq * ours.missed as f64, *miss),
            "step {k}: missed {} vs {miss}",
            ours.missed
        );
        assert!(
            close(half_c_sq * ours.false_tracks as f64, *fal),
            "step {k}: false {} vs {fal}",
            ours.false_tracks
        );
        missed += ours.missed;
        false_ += ours.false_tracks;
        assigned += ours.truth - ours.missed;
    }
    // The case exercises every part of GOSPA.
    assert!(
        missed > 50 && false_ > 50 && assigned > 500,
        "{missed} {false_} {assigned}"
    );
    // The swap of D023 and AC06 from 100 s to 200 s costs two switches each way at
    // least (more where misses or far pairs interrupt a track).
    assert!(
        score.tracking.id_switches >= 4,
        "{}",
        score.tracking.id_switches
    );
}
