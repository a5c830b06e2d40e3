//! The synthetic mass-wave load shared by the `step` bench and the `step_cost` example.

use skywatch_model::{Class, Geodetic, TrackEstimate, TrackSnapshot, Velocity};

/// 600 drones on 12 routes from the north, 50 per route 1.5 km apart, 50 m/s heading
/// roughly south; positions cycle every 1200 s so the wave stays over land however long
/// criterion runs (the jump back looks like a track swap to route learning, which resets
/// that path: a realistic cost).
pub fn wave(t: f64) -> Vec<TrackSnapshot> {
    let mut v = Vec::with_capacity(600);
    let phase = t % 1200.0;
    for r in 0..12 {
        let start = Geodetic::new(38.1, 126.7 + 0.12 * r as f64, 100.0);
        let heading = 170.0 + 2.0 * r as f64;
        let (vn, ve) = (
            50.0 * heading.to_radians().cos(),
            50.0 * heading.to_radians().sin(),
        );
        for k in 0..50 {
            let id = (r * 50 + k) as u64;
            let along = 50.0 * phase - 1500.0 * k as f64 + 40_000.0;
            let pos = start.destination(heading, along.max(0.0));
            let turning = (r + k) % 5 == 0;
            v.push(TrackSnapshot {
                estimate: TrackEstimate {
                    t,
                    id,
                    pos,
                    vel: Velocity { vn, ve, vu: 0.0 },
                    class: Class::Drone,
                    class_confidence: 0.7,
                    cov_h_m: Some(200.0),
                    icao: None,
                    callsign: None,
                },
                cov_h: [
                    [4e4, 0.0, 0.0, 0.0],
                    [0.0, 4e4, 0.0, 0.0],
                    [0.0, 0.0, 9.0, 0.0],
                    [0.0, 0.0, 0.0, 9.0],
                ],
                turn_rate: if turning { 0.02 } else { 0.0 },
                sd_turn_rate: 0.01,
                p_manoeuvre: if turning { 0.8 } else { 0.1 },
                p_threat: 0.8,
                last_update_t: t,
                in_coverage: true,
            });
        }
    }
    v
}
