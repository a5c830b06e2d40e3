//! The publisher's state machine (Alert → Update → all-clear, references), errors, config,
//! and the Atom feed of current alerts.

mod common;

use quick_xml::Reader;
use quick_xml::events::Event;
use skywatch_areas::AreaSet;
use skywatch_cap::{
    AllClearStyle, CapConfig, CapError, CapPublisher, FeedConfig, MsgType, Status, atom_feed,
    current_alerts,
};

#[test]
fn references_chain_alert_update_all_clear() {
    let areas = AreaSet::korea_municipalities();
    let area = areas.get(areas.by_code("36480").unwrap()); // Sinan-gun, 24 islands
    let mut p = CapPublisher::new(common::config(), common::EPOCH).unwrap();
    let a = p
        .publish(&common::change(5.9, "36480", true, Some(300.0), &[1]), area)
        .unwrap();
    let u = p
        .publish(
            &common::change(20.0, "36480", true, Some(200.0), &[1, 2]),
            area,
        )
        .unwrap();
    // Alert expiry is 1800 s after the latest message (t = 20).
    assert!(p.expiring(1000.0, 600.0).is_empty());
    assert_eq!(p.expiring(1000.0, 900.0), ["36480"]);
    let c = p
        .publish(&common::change(400.0, "36480", false, None, &[]), area)
        .unwrap();

    assert_eq!(a.msg_type, MsgType::Alert);
    assert_eq!(a.sent, "2026-11-25T03:00:05+00:00");
    assert!(a.references.is_empty());
    assert!(!a.xml.contains("<references>"));
    assert_eq!(a.identifier, "SKYWATCH-36480-000001");

    assert_eq!(u.msg_type, MsgType::Update);
    assert_eq!(
        u.references,
        ["skywatch@skywatch.invalid,SKYWATCH-36480-000001,2026-11-25T03:00:05+00:00"]
    );
    assert_eq!(c.msg_type, MsgType::Update);
    assert!(c.all_clear);
    assert_eq!(c.references, [a.reference(), u.reference()]);
    assert!(c.xml.contains(&format!(
        "<references>{} {}</references>",
        a.reference(),
        u.reference()
    )));
    // references precede info; every message of the alert shares the incident.
    assert!(c.xml.find("<references>").unwrap() < c.xml.find("<info>").unwrap());
    for m in [&a, &u, &c] {
        assert_eq!(m.incident, a.identifier);
        assert!(
            m.xml
                .contains("<incidents>SKYWATCH-36480-000001</incidents>")
        );
        assert!(m.xml.contains("<status>Exercise</status>"));
        assert_eq!(m.xml.matches("<polygon>").count(), 2 * 24);
    }
    assert!(c.xml.contains("<responseType>AllClear</responseType>"));
    assert!(c.xml.contains("<urgency>Past</urgency>"));
    assert!(c.headline.contains("신안군") && c.headline.contains("해제"));
    assert!(p.current().is_empty());
    assert!(p.expiring(1e9, 0.0).is_empty());

    // A new attack on the same area starts a new alert with no references.
    let a2 = p
        .publish(
            &common::change(500.0, "36480", true, Some(100.0), &[3]),
            area,
        )
        .unwrap();
    assert_eq!(a2.msg_type, MsgType::Alert);
    assert!(a2.references.is_empty());
    assert_eq!(a2.incident, a2.identifier);
}

#[test]
fn cancel_style_and_actual_status() {
    let areas = AreaSet::korea_municipalities();
    let area = areas.get(areas.by_code("31200").unwrap());
    let cfg = CapConfig {
        all_clear: AllClearStyle::Cancel,
        simulated: false,
        ..CapConfig::default()
    };
    let mut p = CapPublisher::new(cfg, common::EPOCH).unwrap();
    let a = p
        .publish(&common::change(0.0, "31200", true, None, &[]), area)
        .unwrap();
    let c = p
        .publish(&common::change(60.0, "31200", false, None, &[]), area)
        .unwrap();
    assert_eq!(c.msg_type, MsgType::Cancel);
    assert_eq!(c.references, [a.reference()]);
    assert!(a.xml.contains("<status>Actual</status>"));
    assert!(!a.xml.contains("<note>"));
    assert!(!a.headline.contains("[훈련]"));
    // Unknown ETA: assume the worst.
    assert!(a.xml.contains("<urgency>Immediate</urgency>"));
    assert!(a.xml.contains("곧"));
}

#[test]
fn bad_input_is_an_error_and_leaves_state_alone() {
    let areas = AreaSet::korea_municipalities();
    let jongno = areas.get(areas.by_code("11010").unwrap());
    let mut p = CapPublisher::new(CapConfig::default(), common::EPOCH).unwrap();
    assert!(matches!(
        p.publish(&common::change(0.0, "11010", false, None, &[]), jongno),
        Err(CapError::NotOn(_))
    ));
    assert!(matches!(
        p.publish(&common::change(0.0, "31200", true, None, &[]), jongno),
        Err(CapError::AreaMismatch { .. })
    ));
    assert!(matches!(
        p.publish(&common::change(f64::NAN, "11010", true, None, &[]), jongno),
        Err(CapError::BadTime(_))
    ));
    assert_eq!(p.on_areas().count(), 0);
    // The failed attempts used no sequence numbers.
    let a = p
        .publish(
            &common::change(0.0, "11010", true, Some(f64::NAN), &[]),
            jongno,
        )
        .unwrap();
    assert_eq!(a.identifier, "SKYWATCH-11010-000001");
    assert!(!a.xml.contains("SKYWATCH_ETA_S"));
    // Text that needs escaping comes out escaped.
    let cfg = CapConfig {
        sender_name: "Civil <defence> & \"alerts\"".into(),
        ..CapConfig::default()
    };
    let mut p = CapPublisher::new(cfg, common::EPOCH).unwrap();
    let m = p
        .publish(&common::change(0.0, "11010", true, None, &[]), jongno)
        .unwrap();
    assert!(
        m.xml
            .contains("Civil &lt;defence&gt; &amp; &quot;alerts&quot;")
    );
}

#[test]
fn config_is_checked() {
    let bad = [
        CapConfig {
            sender: "a b".into(),
            ..CapConfig::default()
        },
        CapConfig {
            sender: "a,b".into(),
            ..CapConfig::default()
        },
        CapConfig {
            identifier_prefix: "x/".into(),
            ..CapConfig::default()
        },
        CapConfig {
            languages: vec!["fr-FR".into()],
            ..CapConfig::default()
        },
        CapConfig {
            languages: vec![],
            ..CapConfig::default()
        },
        CapConfig {
            polygon_max_points: 4,
            ..CapConfig::default()
        },
        CapConfig {
            alert_expires_s: f64::NAN,
            ..CapConfig::default()
        },
        CapConfig {
            web: Some("not a uri".into()),
            ..CapConfig::default()
        },
    ];
    for c in bad {
        assert!(
            matches!(
                CapPublisher::new(c.clone(), 0.0),
                Err(CapError::Config { .. })
            ),
            "{c:?}"
        );
    }
    assert!(CapPublisher::new(CapConfig::default(), f64::INFINITY).is_err());
    assert_eq!(CapConfig::default().effective_status(), Status::Exercise);

    // Typed config from TOML, defaults filling the rest.
    let c: CapConfig = toml::from_str(
        r#"
        sender = "alerts@example.kr"
        simulated = false
        languages = ["en-US"]
        category = "Safety"
        all_clear = "Cancel"
        [event]
        en = "Air raid warning"
        "#,
    )
    .unwrap();
    assert_eq!(c.effective_status(), Status::Actual);
    assert_eq!(c.polygon_max_points, 100);
    assert_eq!(c.all_clear, AllClearStyle::Cancel);
    let f: FeedConfig = toml::from_str("embed_cap = false").unwrap();
    assert!(!f.embed_cap);
    assert!(toml::from_str::<CapConfig>("nonsense = 1").is_err());
}

/// Entries of a feed as (id, title, link href, embedded CAP identifier), parsed back with
/// quick-xml (which also proves the feed is well-formed).
fn parse_feed(xml: &str) -> Vec<(String, String, String, Option<String>)> {
    let mut r = Reader::from_str(xml);
    r.config_mut().check_end_names = true;
    let mut out = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut cur = (String::new(), String::new(), String::new(), None);
    loop {
        match r.read_event().expect("well-formed feed") {
            Event::Eof => break,
            Event::Start(e) => {
                let name = String::from_utf8(e.local_name().as_ref().to_vec()).unwrap();
                path.push(name);
            }
            Event::Empty(e)
                if e.local_name().as_ref() == b"link" && path.last().unwrap() == "entry" =>
            {
                for a in e.attributes() {
                    let a = a.unwrap();
                    if a.key.as_ref() == b"href" {
                        cur.2 = a.unescape_value().unwrap().into_owned();
                    }
                }
            }
            Event::Text(t) => {
                let text = t.unescape().unwrap().into_owned();
                let p: Vec<&str> = path.iter().map(String::as_str).collect();
                match p.as_slice() {
                    ["feed", "entry", "id"] => cur.0 = text,
                    ["feed", "entry", "title"] => cur.1 = text,
                    ["feed", "entry", "content", "alert", "identifier"] => cur.3 = Some(text),
                    _ => {}
                }
            }
            Event::End(_) if path.last().map(String::as_str) == Some("entry") => {
                path.pop();
                out.push(std::mem::take(&mut cur));
            }
            Event::End(_) => {
                path.pop();
            }
            _ => {}
        }
    }
    out
}

#[test]
fn feed_lists_exactly_the_current_alerts() {
    let areas = AreaSet::korea_municipalities();
    let msgs = common::run(common::config(), &areas);
    // After everything: only the last area (left on) is current, at its Update.
    let last = msgs.last().unwrap();
    assert_eq!(last.msg_type, MsgType::Update);
    let cur = current_alerts(&msgs);
    assert_eq!(cur.len(), 1);
    assert_eq!(cur[0].identifier, last.identifier);

    let feed = atom_feed(&msgs, &FeedConfig::default(), common::EPOCH + 1000.0).unwrap();
    let entries = parse_feed(&feed);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].0, format!("urn:skywatch:cap:{}", last.incident));
    assert_eq!(entries[0].1, last.headline);
    assert_eq!(entries[0].2, last.file_name());
    assert_eq!(entries[0].3.as_deref(), Some(last.identifier.as_str()));
    assert!(feed.contains("<updated>2026-11-25T03:16:40+00:00</updated>"));
    assert!(feed.contains(r#"type="application/cap+xml""#));

    // Mid-run: publish by hand and watch areas enter and leave.
    let mut p = CapPublisher::new(common::config(), common::EPOCH).unwrap();
    let get = |c: &str| areas.get(areas.by_code(c).unwrap());
    let mut all = Vec::new();
    for (t, code, on) in [
        (0.0, "11010", true),
        (1.0, "31200", true),
        (2.0, "23320", true),
        (3.0, "11010", true),
        (4.0, "31200", false),
    ] {
        all.push(
            p.publish(&common::change(t, code, on, Some(90.0), &[1]), get(code))
                .unwrap(),
        );
    }
    let cfg = FeedConfig {
        cap_base_url: "https://alerts.example.kr/cap/".into(),
        embed_cap: false,
        self_link: Some("https://alerts.example.kr/feed.atom".into()),
        ..FeedConfig::default()
    };
    let entries = parse_feed(&atom_feed(&all, &cfg, common::EPOCH + 5.0).unwrap());
    let hrefs: Vec<&str> = entries.iter().map(|e| e.2.as_str()).collect();
    // Newest first: Jongno's Update (t=3), then Ongjin's Alert (t=2); Paju is all-clear.
    assert_eq!(
        hrefs,
        [
            format!("https://alerts.example.kr/cap/{}", all[3].file_name()),
            format!("https://alerts.example.kr/cap/{}", all[2].file_name()),
        ]
    );
    assert!(entries.iter().all(|e| e.3.is_none()));
    // Jongno's entry keeps the id of its first message.
    assert_eq!(
        entries[0].0,
        format!("urn:skywatch:cap:{}", all[0].identifier)
    );
    let mut cur: Vec<&str> = p.current().iter().map(|m| m.identifier.as_str()).collect();
    cur.sort_unstable();
    let mut want = vec![all[2].identifier.as_str(), all[3].identifier.as_str()];
    want.sort_unstable();
    assert_eq!(cur, want);

    // An empty feed is still a valid feed.
    assert!(parse_feed(&atom_feed(&[], &cfg, common::EPOCH).unwrap()).is_empty());
    assert!(atom_feed(&[], &cfg, f64::NAN).is_err());
}
