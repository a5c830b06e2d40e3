use std::io::Cursor;
use std::path::Path;

use super::*;
use skywatch_model::Measurement;

fn example_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/example")
}

fn read_reports(text: &'static str) -> Vec<Result<(u64, WireReport), Error>> {
    ReportReader::from_reader(Path::new("reports.jsonl"), Cursor::new(text)).collect()
}

/// A scenario directory holding only this `scenario.json` (v1, 10 s) with these sensors.
fn registry(sensors: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("scenario.json"),
        format!(
            r#"{{"format": "skywatch-scenario/1", "epoch": "2026-01-01T00:00:00Z", "duration_s": 10.0,
                "sensors": [{sensors}]}}"#
        ),
    )
    .unwrap();
    dir
}

#[test]
fn reads_the_shared_example_completely() {
    let sc = ScenarioDir::open(example_dir()).unwrap();
    assert_eq!(sc.meta.name, "example-mixed-300s");
    assert_eq!(sc.meta.duration_s, 300.0);
    assert_eq!(sc.sensors.len(), 402);
    let centre = sc.centre().unwrap();
    assert_eq!((centre.lat_deg, centre.lon_deg), (38.0, 127.75));

    let reports: Vec<_> = sc.reports().unwrap().collect::<Result<_, _>>().unwrap();
    assert_eq!(reports.len(), 1917);
    let kinds = |k: &str| {
        reports
            .iter()
            .filter(|(_, r)| r.measurement.kind() == k)
            .count()
    };
    assert!(kinds("radar") > 0 && kinds("bearing") > 0 && kinds("adsb") > 0);
    // The first line, field by field.
    let (line, first) = &reports[0];
    assert_eq!(*line, 1);
    assert_eq!(
        (first.t, first.rx, first.sensor.as_str()),
        (0.153, 0.229, "ADSB1")
    );
    match &first.measurement {
        Measurement::Adsb(a) => {
            assert_eq!(a.icao, 0x71BF0C);
            assert_eq!(a.callsign.as_deref(), Some("TWB188"));
            assert_eq!(a.pos.lat_deg, 38.612227);
            assert_eq!(a.vel.unwrap().ve, -50.2);
        }
        other => panic!("expected ADS-B, got {other:?}"),
    }
    // Radar plots carry their radar's position from scenario.json.
    let radar = reports.iter().find_map(|(_, r)| match &r.measurement {
        Measurement::Radar(p) => Some(*p),
        _ => None,
    });
    assert_eq!(radar.unwrap().sensor_pos.alt_m, 250.0);
    // Bearings of a fixed node carry the reach its registry entry declares.
    let (_, fixed) = reports
        .iter()
        .find(|(_, r)| matches!(&r.measurement, Measurement::Bearing(b) if !b.mobile))
        .expect("a fixed node's bearing");
    let declared = sc.sensors.get(fixed.sensor.as_str()).unwrap().max_range_m;
    assert!(declared.is_some());
    match &fixed.measurement {
        Measurement::Bearing(b) => assert_eq!(b.reach_m, declared),
        other => panic!("expected a bearing, got {other:?}"),
    }

    let labels: Vec<_> = sc.labels().unwrap().collect::<Result<_, _>>().unwrap();
    assert_eq!(labels.len(), reports.len());
    let truth: Vec<_> = sc
        .truth()
        .unwrap()
        .map(|r| r.unwrap().1.to_model().unwrap())
        .collect();
    assert_eq!(truth.len(), 2401);
    assert!(truth.windows(2).all(|w| w[0].t <= w[1].t));
}

#[test]
fn wire_round_trip_is_exact() {
    let sc = ScenarioDir::open(example_dir()).unwrap();
    for item in sc.wire_reports().unwrap() {
        let (_, wire) = item.unwrap();
        let model = wire.to_model(&sc.sensors).unwrap();
        let mut back = WireReport::from_model(&model);
        // sd_el_deg defaults are filled on the way in only when el is present.
        back.sd_el_deg = back.sd_el_deg.filter(|_| wire.sd_el_deg.is_some());
        assert_eq!(back, wire);
    }
}

#[test]
fn a_bad_declared_range_is_named() {
    let dir = registry(
        r#"{"id": "A7", "kind": "acoustic", "lat": 37.0, "lon": 127.0, "alt_m": 30.0,
            "max_range_m": -5.0}"#,
    );
    let err = ScenarioDir::open(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("scenario.json") && err.contains("\"A7\"") && err.contains("max_range_m"),
        "{err}"
    );
}

#[test]
fn an_acoustic_node_without_a_declared_range_gets_the_default_reach() {
    let dir = registry(
        r#"{"id": "A1", "kind": "acoustic", "lat": 37.0, "lon": 127.0, "alt_m": 30.0},
           {"id": "A2", "kind": "acoustic", "lat": 37.1, "lon": 127.0, "alt_m": 30.0,
            "max_range_m": 1800.0},
           {"id": "O1", "kind": "other", "lat": 37.2, "lon": 127.0, "alt_m": 30.0}"#,
    );
    let sc = ScenarioDir::open(dir.path()).unwrap();
    let reach = |sensor: &str| {
        let line = format!(
            r#"{{"t": 1.0, "rx": 1.5, "sensor": "{sensor}", "kind": "bearing", "az_deg": 10.0, "sd_az_deg": 3.0}}"#
        );
        let (_, w) = ReportReader::from_reader(Path::new("reports.jsonl"), Cursor::new(line))
            .next()
            .unwrap()
            .unwrap();
        match w.to_model(&sc.sensors).unwrap().measurement {
            Measurement::Bearing(b) => b.reach_m,
            other => panic!("expected a bearing, got {other:?}"),
        }
    };
    assert_eq!(reach("A1"), Some(DEFAULT_ACOUSTIC_REACH_M));
    assert_eq!(reach("A2"), Some(1800.0));
    // A bearing sensor of another kind (a camera, a direction finder) may see far
    // beyond a microphone: no reach is assumed for it.
    assert_eq!(reach("O1"), None);
}

#[test]
fn unknown_format_is_rejected_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scenario.json");
    std::fs::write(
        &path,
        r#"{"format": "skywatch-scenario/2", "epoch": "2026-01-01T00:00:00Z", "sensors": []}"#,
    )
    .unwrap();
    let err = ScenarioDir::open(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("scenario.json") && err.contains("skywatch-scenario/2"),
        "{err}"
    );
}

#[test]
fn unknown_fields_are_ignored() {
    let r = read_reports(
        r#"{"t": 1.0, "rx": 1.5, "sensor": "A1", "kind": "bearing", "az_deg": 10.0, "sd_az_deg": 3.0, "future": {"x": 1}}"#,
    );
    let (_, w) = r[0].as_ref().unwrap();
    assert_eq!(w.az_deg, Some(10.0));
}

#[track_caller]
fn check_error(text: &'static str, expect: &str) {
    let results = read_reports(text);
    let err = results
        .into_iter()
        .find_map(Result::err)
        .expect("an error")
        .to_string();
    assert!(
        err.contains(expect),
        "error {err:?} does not contain {expect:?}"
    );
}

#[test]
fn errors_name_file_line_and_field() {
    check_error(
        "\n{\"t\": 1.0, \"rx\": 1.5, \"sensor\": \"R1\", \"kind\": \"radar\", \"az_deg\": 1.0}",
        "reports.jsonl:2: radar report: missing field `range_m`",
    );
    check_error(
        "{\"t\": 1.0, \"rx\": 1.5, \"sensor\": \"R1\"",
        "reports.jsonl:1: not a valid record",
    );
    check_error(
        r#"{"t": 1.0, "rx": 1.5, "sensor": "A", "kind": "bearing", "az_deg": 361.0, "sd_az_deg": 1.0}"#,
        "field `az_deg` = 361 is out of range",
    );
    check_error(
        r#"{"t": 2.0, "rx": 1.5, "sensor": "A", "kind": "bearing", "az_deg": 1.0, "sd_az_deg": 1.0}"#,
        "rx 1.5 is before t 2",
    );
    check_error(
        r#"{"t": 1.0, "rx": 1.5, "sensor": "A", "kind": "sonar"}"#,
        "unknown report kind \"sonar\"",
    );
    check_error(
        r#"{"t": 1.0, "rx": 1.5, "sensor": "B", "kind": "adsb", "icao": "XYZ", "lat": 1.0, "lon": 1.0, "alt_m": 1.0}"#,
        "`icao` = \"XYZ\"",
    );
    check_error(
        "{\"t\": 1.0, \"rx\": 5.0, \"sensor\": \"A\", \"kind\": \"bearing\", \"az_deg\": 1.0, \"sd_az_deg\": 1.0}\n{\"t\": 1.0, \"rx\": 2.0, \"sensor\": \"A\", \"kind\": \"bearing\", \"az_deg\": 1.0, \"sd_az_deg\": 1.0}",
        "reports.jsonl:2: field `rx` = 2 goes back from 5",
    );
}

#[test]
fn a_radar_plot_from_an_unknown_radar_names_the_sensor() {
    let w: WireReport = serde_json::from_str(
        r#"{"t": 1.0, "rx": 1.5, "sensor": "R9", "kind": "radar", "range_m": 1.0, "az_deg": 1.0, "sd_range_m": 1.0, "sd_az_deg": 1.0}"#,
    )
    .unwrap();
    let err = w.to_model(&SensorTable::default()).unwrap_err().to_string();
    assert!(err.contains("\"R9\""), "{err}");
}

#[test]
fn reader_goes_on_after_a_bad_line() {
    let results = read_reports(
        "garbage\n{\"t\": 1.0, \"rx\": 1.5, \"sensor\": \"A\", \"kind\": \"bearing\", \"az_deg\": 1.0, \"sd_az_deg\": 1.0}\n",
    );
    assert_eq!(results.len(), 2);
    assert!(results[0].is_err());
    assert_eq!(results[1].as_ref().unwrap().0, 2);
}

#[test]
fn writer_and_reader_agree() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alerts.jsonl");
    let mut w = JsonlWriter::create(&path).unwrap();
    let rec = AlertRecord {
        t: 10.0,
        area: "31011".into(),
        state: AlertState::On,
        eta_s: Some(120.5),
        track: Some(vec!["7".into()]),
    };
    w.write(&rec).unwrap();
    assert_eq!(w.finish().unwrap(), 1);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text,
        "{\"t\":10.0,\"area\":\"31011\",\"state\":\"on\",\"eta_s\":120.5,\"track\":[\"7\"]}\n"
    );
    let back: Vec<_> = JsonlReader::<AlertRecord>::open(&path)
        .unwrap()
        .map(|r| r.unwrap().1)
        .collect();
    assert_eq!(back, vec![rec]);
    // Numeric ids from other tools are accepted.
    let t: TrackRecord =
        serde_json::from_str(r#"{"t": 1, "id": 42, "lat": 1, "lon": 2, "alt_m": 3}"#).unwrap();
    assert_eq!(t.id, "42");
}
