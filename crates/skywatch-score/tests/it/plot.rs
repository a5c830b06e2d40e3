//! The file-level warning path and the plots, on the example scenario with the embedded
//! Korean municipalities as its areas and a hand-written alert.

use skywatch_areas::KOREA_MUNICIPALITIES_GEOJSON;
use skywatch_scenario::{AlertRecord, AlertState, JsonlWriter, TrackRecord};
use skywatch_score::plot::{PlotConfig, render};
use skywatch_score::{LoadedRun, ScoreConfig, score_warnings};

use crate::{example_copy, read_truth, track, write_tracks};

#[test]
fn run_with_areas_and_alerts_scores_warnings_and_plots() {
    let scenario = example_copy(true);
    std::fs::write(
        scenario.path().join("areas.geojson"),
        KOREA_MUNICIPALITIES_GEOJSON,
    )
    .unwrap();
    let run = tempfile::tempdir().unwrap();
    let tracks: Vec<TrackRecord> = read_truth(scenario.path())
        .into_iter()
        .filter(|r| r.t.fract() == 0.0)
        .map(|r| track(r.t, &r.id, r.lat, r.lon, r.alt_m))
        .collect();
    write_tracks(run.path(), &tracks);
    let mut w = JsonlWriter::create(&run.path().join("alerts.jsonl")).unwrap();
    for (t, state) in [(50.0, AlertState::On), (250.0, AlertState::Off)] {
        w.write(&AlertRecord {
            t,
            area: "32010".to_string(), // Chuncheon-si
            state,
            eta_s: None,
            track: None,
        })
        .unwrap();
    }
    w.finish().unwrap();

    let loaded = LoadedRun::load(scenario.path(), run.path()).unwrap();
    let score = loaded.score(&ScoreConfig::default());
    let warning = score
        .warning
        .as_ref()
        .expect("alerts and areas give warning figures");
    // The file path gives the same figures as the in-memory function on the same data.
    let direct = score_warnings(
        &loaded.paths,
        loaded.observability.as_ref().map(|o| &o.first_report_t),
        loaded.alerts.as_deref().unwrap(),
        loaded.areas.as_ref().unwrap(),
        300.0,
    );
    assert_eq!(warning, &direct);
    assert_eq!((warning.alerts, warning.areas_warned), (1, 1));
    assert!((warning.warned_area_hours - 200.0 / 3600.0).abs() < 1e-12);

    let dir = tempfile::tempdir().unwrap();
    let cfg = PlotConfig {
        width: 900,
        height: 450,
    };
    let png = dir.path().join("score.png");
    render(&loaded, &score, &png, &cfg).unwrap();
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    // IHDR: width and height, big-endian, at bytes 16..24.
    assert_eq!(u32::from_be_bytes(bytes[16..20].try_into().unwrap()), 900);
    assert_eq!(u32::from_be_bytes(bytes[20..24].try_into().unwrap()), 450);
    let svg = dir.path().join("score.svg");
    render(&loaded, &score, &svg, &cfg).unwrap();
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && text.contains("truth: drone") && text.contains("GOSPA"));
}
