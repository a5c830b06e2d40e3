//! Writes a sample Alert, Update and all-clear for Seogwipo-si plus the feed to a folder.
//! `cargo run -p skywatch-cap --example sample -- OUT_DIR`

use std::sync::Arc;

use skywatch_areas::AreaSet;
use skywatch_cap::{CapConfig, CapPublisher, FeedConfig, atom_feed};
use skywatch_model::AlertChange;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "cap-sample".into());
    std::fs::create_dir_all(&out)?;
    let areas = AreaSet::korea_municipalities();
    let area = areas.get(areas.by_code("39020").ok_or("no Seogwipo-si")?);
    let epoch = 1_795_575_600.0; // 2026-11-25T03:00:00Z
    let mut p = CapPublisher::new(CapConfig::default(), epoch)?;
    let mut msgs = Vec::new();
    for (t, on, eta) in [
        (0.0, true, Some(400.0)),
        (30.0, true, Some(70.0)),
        (300.0, false, None),
    ] {
        let c = AlertChange {
            t,
            area: Arc::from("39020"),
            on,
            eta_s: eta,
            tracks: vec![3, 9],
        };
        msgs.push(p.publish(&c, area)?);
        std::fs::write(
            format!("{out}/{}", msgs.last().ok_or("none")?.file_name()),
            &msgs.last().ok_or("none")?.xml,
        )?;
        let feed = atom_feed(&msgs, &FeedConfig::default(), epoch + t)?;
        std::fs::write(format!("{out}/feed-{}.atom", msgs.len()), feed)?;
    }
    Ok(())
}
