//! Round trip through an independent CAP parser, the `oasiscap` crate: what it reads
//! equals what we meant to write.

mod common;

use skywatch_areas::AreaSet;
use skywatch_cap::{
    AllClearStyle, CapConfig, PARAM_ETA_S, PARAM_TIME_TO_SHELTER_S, PARAM_TRACKS, cap_polygons,
};

fn secs(sent: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(sent)
        .unwrap()
        .timestamp()
}

#[test]
fn oasiscap_reads_what_we_wrote() {
    let areas = AreaSet::korea_municipalities();
    for style in [AllClearStyle::UpdateAllClear, AllClearStyle::Cancel] {
        let cfg = CapConfig {
            all_clear: style,
            ..common::config()
        };
        let msgs = common::run(cfg.clone(), &areas);
        for m in &msgs {
            let parsed: oasiscap::Alert = m
                .xml
                .parse()
                .unwrap_or_else(|e| panic!("oasiscap rejects {}: {e}\n{}", m.identifier, m.xml));
            let oasiscap::Alert::V1dot2(a) = parsed else {
                panic!("{} not read as CAP 1.2", m.identifier)
            };
            assert_eq!(a.identifier.as_str(), m.identifier);
            assert_eq!(a.sender.as_str(), cfg.sender);
            assert_eq!(
                chrono::DateTime::<chrono::FixedOffset>::from(a.sent).timestamp(),
                secs(&m.sent)
            );
            assert_eq!(format!("{:?}", a.message_type), m.msg_type.as_str());
            assert_eq!(format!("{:?}", a.status), "Exercise");

            // References: same triples, same order.
            let refs: Vec<(String, String, i64)> = a
                .references
                .iter()
                .flat_map(|r| r.iter())
                .map(|r| {
                    (
                        r.sender.to_string(),
                        r.identifier.to_string(),
                        chrono::DateTime::<chrono::FixedOffset>::from(r.sent).timestamp(),
                    )
                })
                .collect();
            let want: Vec<(String, String, i64)> = m
                .references
                .iter()
                .map(|t| {
                    let v: Vec<&str> = t.split(',').collect();
                    (v[0].to_string(), v[1].to_string(), secs(v[2]))
                })
                .collect();
            assert_eq!(refs, want, "{}", m.identifier);

            // One info per language, each with one area: polygons and geocode as ours.
            let area = areas.get(areas.by_code(&m.area_code).unwrap());
            let ours = cap_polygons(
                &area.shape,
                cfg.polygon_tolerance_deg,
                cfg.polygon_max_points,
                cfg.polygon_max_parts,
                cfg.coordinate_decimals,
            );
            assert_eq!(a.info.len(), 2);
            let langs: Vec<String> = a
                .info
                .iter()
                .map(|i| i.language.as_str().to_string())
                .collect();
            assert_eq!(langs, ["ko-KR", "en-US"]);
            for info in &a.info {
                assert_eq!(info.areas.len(), 1);
                let ar = &info.areas[0];
                assert_eq!(ar.polygons.len(), ours.len(), "{}", m.area_code);
                for (p, o) in ar.polygons.iter().zip(&ours) {
                    assert_eq!(p.iter().count(), o.len());
                    let first = p.iter().next().unwrap();
                    assert!((first.latitude() - o[0].0).abs() < 1e-9);
                    assert!((first.longitude() - o[0].1).abs() < 1e-9);
                }
                assert_eq!(ar.geocode.get("KOSTAT"), Some(m.area_code.as_str()));
                assert_eq!(
                    ar.geocode.get(cfg.geocode_value_name.as_str()),
                    Some(m.area_code.as_str())
                );
                assert_eq!(
                    info.parameters.get(PARAM_TIME_TO_SHELTER_S),
                    Some(format!("{}", area.time_to_shelter_s.round() as u64).as_str())
                );
                let rt: Vec<String> = info
                    .response_type
                    .iter()
                    .map(|r| format!("{r:?}"))
                    .collect();
                if m.all_clear {
                    assert_eq!(rt, ["AllClear"]);
                    assert_eq!(format!("{:?}", info.urgency), "Past");
                    assert_eq!(info.parameters.get(PARAM_ETA_S), None);
                } else {
                    assert_eq!(rt, ["Shelter"]);
                    assert!(info.parameters.get(PARAM_ETA_S).is_some());
                    assert!(info.parameters.get(PARAM_TRACKS).is_some());
                }
            }
            assert_eq!(a.info[0].headline.as_deref(), Some(m.headline.as_str()));
            assert!(a.info[0].areas[0].description.contains(area.name("ko")));
            assert!(a.info[1].areas[0].description.contains(area.name("en")));
        }
    }
}

#[test]
fn urgency_and_parameters_follow_eta() {
    let areas = AreaSet::korea_municipalities();
    let area = areas.get(areas.by_code("11010").unwrap());
    let mut p = skywatch_cap::CapPublisher::new(common::config(), common::EPOCH).unwrap();
    // Far away (600 s > 60 s shelter + 300 s slack): Expected / Severe.
    let far = p
        .publish(
            &common::change(0.0, "11010", true, Some(600.0), &[4, 5]),
            area,
        )
        .unwrap();
    // Close: Immediate / Extreme.
    let near = p
        .publish(&common::change(60.0, "11010", true, Some(44.6), &[4]), area)
        .unwrap();
    let read = |xml: &str| match xml.parse::<oasiscap::Alert>().unwrap() {
        oasiscap::Alert::V1dot2(a) => a,
        _ => panic!("not 1.2"),
    };
    let (a, b) = (read(&far.xml), read(&near.xml));
    assert_eq!(format!("{:?}", a.info[0].urgency), "Expected");
    assert_eq!(format!("{:?}", a.info[0].severity), "Severe");
    assert_eq!(a.info[0].parameters.get(PARAM_ETA_S), Some("600"));
    assert_eq!(a.info[0].parameters.get(PARAM_TRACKS), Some("4 5"));
    assert_eq!(format!("{:?}", b.info[0].urgency), "Immediate");
    assert_eq!(format!("{:?}", b.info[0].severity), "Extreme");
    assert_eq!(b.info[0].parameters.get(PARAM_ETA_S), Some("45"));
    assert_eq!(
        b.info[1].headline.as_deref(),
        Some("[EXERCISE] Drone attack warning for Jongno-gu (update): take shelter now")
    );
    assert!(
        b.info[1]
            .description
            .as_deref()
            .unwrap()
            .contains("in about 45 s")
    );
    assert!(
        b.info[0]
            .description
            .as_deref()
            .unwrap()
            .contains("약 45초 후")
    );
}
