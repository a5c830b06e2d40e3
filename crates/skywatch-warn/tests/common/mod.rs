//! Test helpers: waypoint flyers over the real Korean municipalities.
#![allow(dead_code)]

use std::sync::{Arc, OnceLock};

use skywatch_areas::AreaSet;
use skywatch_geo::angle_diff_deg;
use skywatch_model::{Class, Geodetic, TrackEstimate, TrackSnapshot, Velocity};
use skywatch_warn::{AreaChange, WarningPolicy};

/// The embedded municipalities, parsed once per test binary.
pub fn korea() -> Arc<AreaSet> {
    static K: OnceLock<Arc<AreaSet>> = OnceLock::new();
    K.get_or_init(|| Arc::new(AreaSet::korea_municipalities()))
        .clone()
}

/// One second of a flyer's truth.
#[derive(Debug, Clone, Copy)]
pub struct State {
    pub t: f64,
    pub pos: Geodetic,
    /// Azimuth, degrees.
    pub heading: f64,
    pub speed: f64,
    /// Heading rate, rad/s (positive clockwise).
    pub turn_rate: f64,
}

/// Flies waypoints at `speed` m/s from `start`, turning at most `max_rate_deg_s`,
/// one state per second from `t0` for `n` seconds.
pub fn fly(
    start: Geodetic,
    heading0: f64,
    waypoints: &[Geodetic],
    speed: f64,
    max_rate_deg_s: f64,
    t0: f64,
    n: usize,
) -> Vec<State> {
    let mut out = Vec::with_capacity(n);
    let (mut pos, mut heading, mut wp, mut rate) = (start, heading0, 0usize, 0.0);
    for k in 0..n {
        out.push(State {
            t: t0 + k as f64,
            pos,
            heading,
            speed,
            turn_rate: rate,
        });
        if wp < waypoints.len() && pos.geodesic_to(&waypoints[wp]).0 < 600.0 {
            wp += 1;
        }
        rate = 0.0;
        if wp < waypoints.len() {
            let (_, az) = pos.geodesic_to(&waypoints[wp]);
            let d = angle_diff_deg(az, heading).clamp(-max_rate_deg_s, max_rate_deg_s);
            rate = d.to_radians();
            heading += d;
        }
        pos = pos.destination(heading - rate.to_degrees() / 2.0, speed);
    }
    out
}

/// A snapshot of a drone track from a truth state.
pub fn snap(id: u64, s: &State) -> TrackSnapshot {
    let h = s.heading.to_radians();
    TrackSnapshot {
        estimate: TrackEstimate {
            t: s.t,
            id,
            pos: s.pos,
            vel: Velocity {
                vn: s.speed * h.cos(),
                ve: s.speed * h.sin(),
                vu: 0.0,
            },
            class: Class::Drone,
            class_confidence: 0.8,
            cov_h_m: Some(100.0),
            icao: None,
            callsign: None,
        },
        cov_h: [
            [100.0f64.powi(2), 0.0, 0.0, 0.0],
            [0.0, 100.0f64.powi(2), 0.0, 0.0],
            [0.0, 0.0, 4.0, 0.0],
            [0.0, 0.0, 0.0, 4.0],
        ],
        turn_rate: s.turn_rate,
        sd_turn_rate: 0.005,
        p_manoeuvre: if s.turn_rate.abs() > 0.005 { 0.9 } else { 0.1 },
        p_threat: 0.9,
        last_update_t: s.t,
        in_coverage: true,
    }
}

/// Runs a policy over per-second track lists; returns every change.
pub fn run(policy: &mut dyn WarningPolicy, steps: &[(f64, Vec<TrackSnapshot>)]) -> Vec<AreaChange> {
    steps.iter().flat_map(|(t, v)| policy.step(*t, v)).collect()
}

/// Per-second steps from flyers: (track id, states); a flyer is reported only at the
/// times its states cover.
pub fn steps_of(flyers: &[(u64, &[State])], t0: f64, n: usize) -> Vec<(f64, Vec<TrackSnapshot>)> {
    (0..n)
        .map(|k| {
            let t = t0 + k as f64;
            let v = flyers
                .iter()
                .filter_map(|(id, st)| st.iter().find(|s| s.t == t).map(|s| snap(*id, s)))
                .collect();
            (t, v)
        })
        .collect()
}

/// First time a flyer is inside the area with this code.
pub fn entry_time(areas: &AreaSet, code: &str, states: &[State]) -> Option<f64> {
    let a = areas.get(areas.by_code(code)?);
    states
        .iter()
        .find(|s| a.contains(s.pos.lat_deg, s.pos.lon_deg))
        .map(|s| s.t)
}

/// Code of the area containing a point.
pub fn code_at(areas: &AreaSet, p: Geodetic) -> String {
    let id = areas
        .containing(p.lat_deg, p.lon_deg)
        .next()
        .expect("point inside some area");
    areas.get(id).code.to_string()
}

/// First `on` time of an area in a list of changes.
pub fn first_on(changes: &[AreaChange], code: &str) -> Option<f64> {
    changes
        .iter()
        .find(|c| c.change.on && &*c.change.area == code)
        .map(|c| c.change.t)
}

/// Codes ever switched on.
pub fn ever_on(changes: &[AreaChange]) -> std::collections::BTreeSet<String> {
    changes
        .iter()
        .filter(|c| c.change.on)
        .map(|c| c.change.area.to_string())
        .collect()
}
