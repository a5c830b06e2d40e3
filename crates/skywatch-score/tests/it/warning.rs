//! Warning figures on a hand-made case, every expected value worked out by hand in the
//! comments.
//!
//! Areas (degrees): A = lon [0, 0.1] x lat [0, 0.1]; B = lon [0.2, 0.3] x lat [0, 0.1].
//! Objects, 1 Hz:
//! - D1 (drone), t = 0..400: outside until 99; inside A 100..150; outside 151..170;
//!   inside 171..200 (outside only 20 s: no new incursion); outside 201..250; inside
//!   251..260 (outside 50 s: incursion); outside 261..290; inside 291..300 (outside
//!   exactly 30 s: incursion); outside after. First report at t = 40.
//! - D2 (decoy), t = 0..100: inside B from its first sample to 50 (no incursion), then
//!   outside. First report at t = 10.
//! - D3 (drone), t = 1400..1600: inside B from 1500 (fresh: D2 left B 1450 s before).
//!   First report at 1550, after the entry: not observable.
//! - AC1 (aircraft) crosses A at 500..600: aircraft make no incursions.

use std::collections::HashMap;

use skywatch_areas::AreaSet;
use skywatch_model::TruthClass;
use skywatch_scenario::{AlertRecord, AlertState};
use skywatch_score::{ObjectPath, TruthPoint, extract_incursions, score_warnings};

const AREAS: &str = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[0.1,0],[0.1,0.1],[0,0.1],[0,0]]]}},
 {"type":"Feature","properties":{"code":"B"},"geometry":{"type":"Polygon","coordinates":[[[0.2,0],[0.3,0],[0.3,0.1],[0.2,0.1],[0.2,0]]]}}]}"#;

const IN_A: f64 = 0.05;
const IN_B: f64 = 0.25;
const OUT: f64 = 0.15;

/// A path from (t0, t1, lon) pieces at lat 0.05.
fn path(id: &str, class: TruthClass, pieces: &[(u32, u32, f64)]) -> ObjectPath {
    let samples = pieces
        .iter()
        .flat_map(|&(t0, t1, lon)| {
            (t0..=t1).map(move |t| TruthPoint {
                t: t as f64,
                lat: 0.05,
                lon,
                alt_m: 100.0,
            })
        })
        .collect();
    ObjectPath {
        id: id.to_string(),
        class,
        samples,
    }
}

fn paths() -> Vec<ObjectPath> {
    vec![
        path(
            "D1",
            TruthClass::Drone,
            &[
                (0, 99, OUT),
                (100, 150, IN_A),
                (151, 170, OUT),
                (171, 200, IN_A),
                (201, 250, OUT),
                (251, 260, IN_A),
                (261, 290, OUT),
                (291, 300, IN_A),
                (301, 400, OUT),
            ],
        ),
        path("D2", TruthClass::Decoy, &[(0, 50, IN_B), (51, 100, OUT)]),
        path(
            "D3",
            TruthClass::Drone,
            &[(1400, 1499, OUT), (1500, 1600, IN_B)],
        ),
        path(
            "AC1",
            TruthClass::Aircraft,
            &[(400, 499, OUT), (500, 600, IN_A), (601, 700, OUT)],
        ),
    ]
}

fn alert(t: f64, area: &str, on: bool) -> AlertRecord {
    AlertRecord {
        t,
        area: area.to_string(),
        state: if on { AlertState::On } else { AlertState::Off },
        eta_s: None,
        track: None,
    }
}

#[test]
fn incursions_follow_the_reentry_rule() {
    let areas = AreaSet::from_geojson(AREAS).unwrap();
    let (inc, _) = extract_incursions(&paths(), &areas);
    let got: Vec<(&str, &str, f64)> = inc
        .iter()
        .map(|i| (i.object.as_str(), i.area.as_str(), i.entry_t))
        .collect();
    assert_eq!(
        got,
        vec![
            ("D1", "A", 100.0),
            ("D1", "A", 251.0),
            ("D1", "A", 291.0),
            ("D3", "B", 1500.0)
        ]
    );
}

#[test]
fn warning_figures_match_hand_computation() {
    let areas = AreaSet::from_geojson(AREAS).unwrap();
    let first: HashMap<String, f64> = [("D1", 40.0), ("D2", 10.0), ("D3", 1550.0)]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let alerts = vec![
        alert(10.0, "Z9", true), // unknown area: unjustified
        alert(20.0, "Z9", false),
        alert(70.0, "A", true), // covers 100: lead 30 = min(60, oracle 60 / 2): timely
        alert(80.0, "A", true), // repeated on: same interval
        alert(130.0, "A", false),
        alert(250.5, "A", true), // covers 251 (lead 0.5: in the second of entry) and 291 (lead 40.5 < 60)
        alert(320.0, "A", false),
        alert(700.0, "A", true), // nothing in A during [700, 920]: unjustified
        alert(800.0, "A", false),
        alert(900.0, "B", false), // off without on: ignored
        alert(1000.0, "B", true), // never off: runs to the end (2000); covers 1500 with lead 500
    ];
    let w = score_warnings(&paths(), Some(&first), &alerts, &areas, 2000.0);

    assert_eq!(
        (w.incursions, w.observable_incursions, w.warned_incursions),
        (4, 3, 4)
    );
    let leads: Vec<Option<f64>> = w.outcomes.iter().map(|o| o.lead_s).collect();
    assert_eq!(leads, vec![Some(30.0), Some(0.5), Some(40.5), Some(500.0)]);
    let oracle: Vec<Option<f64>> = w.outcomes.iter().map(|o| o.oracle_lead_s).collect();
    assert_eq!(
        oracle,
        vec![Some(60.0), Some(211.0), Some(251.0), Some(-50.0)]
    );
    let timely: Vec<bool> = w.outcomes.iter().map(|o| o.timely).collect();
    assert_eq!(timely, vec![true, false, false, false]);
    let fresh: Vec<bool> = w.outcomes.iter().map(|o| o.fresh).collect();
    assert_eq!(fresh, vec![true, false, false, true]);

    assert_eq!(w.recall, Some(1.0));
    assert_eq!(w.recall_observable, Some(1.0));
    assert_eq!(w.timely_recall, Some(1.0 / 3.0));
    // Leads 0.5, 30, 40.5, 500: median (30 + 40.5) / 2.
    assert_eq!(w.median_lead_s, Some(35.25));
    // lead / oracle over warned with positive oracle: 0.5, 0.5/211, 40.5/251.
    assert_eq!(w.median_lead_over_oracle, Some(40.5 / 251.0));
    assert_eq!((w.fresh_incursions, w.fresh_observable_incursions), (2, 1));
    assert_eq!(w.fresh_timely_recall, Some(1.0));
    assert_eq!(w.fresh_median_lead_over_oracle, Some(0.5));

    // Intervals: Z9 [10, 20], A [70, 130], A [250.5, 320], A [700, 800], B [1000, 2000].
    assert_eq!(w.alerts, 5);
    assert_eq!(w.areas_warned, 3);
    assert_eq!(w.alerts_unknown_area, 1);
    // Justified: A [70, 130], A [250.5, 320], B [1000, 2000]; each interval says so.
    assert_eq!(w.precision, Some(3.0 / 5.0));
    let flags: Vec<(&str, f64, bool)> = w
        .intervals
        .iter()
        .map(|iv| (iv.area.as_str(), iv.start, iv.justified))
        .collect();
    assert_eq!(
        flags,
        vec![
            ("A", 70.0, true),
            ("A", 250.5, true),
            ("A", 700.0, false),
            ("B", 1000.0, true),
            ("Z9", 10.0, false)
        ]
    );
    // Whole seconds on: 10 (Z9) + 60 + 69 (251..319) + 100 + 1000 = 1239. Justified:
    // all 60 + 69 of A's first two; none of A [700, 800] (D1 last inside A at 300 <
    // s − 120); for B, s with [s − 120, s + 1200] meeting D3's 1500..1600: s = 1000..1720,
    // 721 seconds.
    assert_eq!(w.justified_share, Some(850.0 / 1239.0));
    assert!((w.warned_area_hours - 1239.5 / 3600.0).abs() < 1e-12);
}

#[test]
fn unwarned_fresh_incursion_counts_zero_and_late_warning_is_no_warning() {
    let areas = AreaSet::from_geojson(AREAS).unwrap();
    let first: HashMap<String, f64> = [("D1", 40.0), ("D3", 1000.0)]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    // D1's fresh entry at 100 unwarned; D3's fresh entry at 1500 (oracle 500) warned
    // from 1499.5, i.e. in the second of entry: warned, but not timely.
    let alerts = vec![alert(1499.5, "B", true), alert(1700.0, "B", false)];
    let w = score_warnings(&paths(), Some(&first), &alerts, &areas, 2000.0);
    assert_eq!((w.fresh_incursions, w.fresh_observable_incursions), (2, 2));
    assert_eq!(w.fresh_timely_recall, Some(0.0));
    // Values 0 (unwarned) and 0.5 / 500: median 0.0005.
    assert_eq!(
        w.fresh_median_lead_over_oracle,
        Some((0.0 + 0.5 / 500.0) / 2.0)
    );
    assert_eq!(w.recall, Some(1.0 / 4.0));
    assert_eq!(w.timely_recall, Some(0.0));
    assert_eq!(w.precision, Some(1.0));
}
