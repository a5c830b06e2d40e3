//! Shared fixtures: a realistic sequence of changes over real Korean municipalities.
#![allow(dead_code)]

use std::sync::Arc;

use skywatch_areas::AreaSet;
use skywatch_cap::{CapConfig, CapMessage, CapPublisher};
use skywatch_model::AlertChange;

/// 2026-11-25T03:00:00Z.
pub const EPOCH: f64 = 1_795_575_600.0;

/// Areas used: single polygons (Jongno-gu, Paju-si), one with a hole (Cheongwon-gun), and
/// MultiPolygons with many islands (Sinan-gun: 24 parts, Ongjin-gun, Yeosu-si) and
/// Seogwipo-si.
pub const CODES: &[&str] = &[
    "11010", "31200", "33310", "36480", "23320", "36020", "39020",
];

pub fn change(t: f64, area: &str, on: bool, eta_s: Option<f64>, tracks: &[u64]) -> AlertChange {
    AlertChange {
        t,
        area: Arc::from(area),
        on,
        eta_s,
        tracks: tracks.to_vec(),
    }
}

pub fn config() -> CapConfig {
    CapConfig {
        web: Some("https://skywatch.example.org/alerts".into()),
        contact: Some("Civil defence duty officer, +82-2-0000-0000".into()),
        ..CapConfig::default()
    }
}

/// For every area: Alert, Update (new ETA, more tracks), all-clear. Areas overlap in time
/// and the last one is left on.
pub fn run(config: CapConfig, areas: &AreaSet) -> Vec<CapMessage> {
    let mut p = CapPublisher::new(config, EPOCH).expect("config is valid");
    let mut out = Vec::new();
    for (i, code) in CODES.iter().enumerate() {
        let area = areas.get(areas.by_code(code).expect("area exists"));
        let t0 = 10.0 * i as f64 + 0.25;
        out.push(
            p.publish(&change(t0, code, true, Some(600.0), &[7]), area)
                .unwrap(),
        );
        out.push(
            p.publish(&change(t0 + 30.5, code, true, Some(45.0), &[7, 12]), area)
                .unwrap(),
        );
        if i + 1 < CODES.len() {
            out.push(
                p.publish(&change(t0 + 200.0, code, false, None, &[]), area)
                    .unwrap(),
            );
        }
    }
    out
}

/// The venv interpreter from `SKYWATCH_PYTHON` (CI sets it), else `python3`.
pub fn python() -> String {
    std::env::var("SKYWATCH_PYTHON").unwrap_or_else(|_| "python3".into())
}
