//! Where ADS-B receivers would hear a cooperative aircraft: its silence as evidence.
//!
//! Civil aircraft broadcast their position about once a second (ADS-B "squitter"). A
//! track that spends many seconds where a working receiver would hear such an aircraft,
//! and is never matched to a broadcast, is unlikely to be a cooperative aircraft. Without
//! this, speed alone separates drones from aircraft, and a drone flying 65 m/s (a
//! 50 m/s Shahed with a 15 m/s tailwind) looks more like a light aircraft than a drone:
//! on a south wave flown at 60-70 m/s the tracker called 64 % of drone track-seconds
//! aircraft, and the warning engine ignored them.
//!
//! What counts as "would hear": a receiver declared in `scenario.json` (its position
//! comes with each message, [`skywatch_model::AdsbMsg::receiver`]), that has passed on a
//! message within `alive_s` (the format has no heartbeat; a receiver that fell silent may
//! be down), with the track within both the farthest distance it has heard any aircraft
//! at and the radio horizon between the receiver and the track's altitude (ADS-B is line
//! of sight: a receiver that hears airliners at 250 km does not hear a 300 m object
//! 80 km away). Receivers with no declared position give no evidence.
//!
//! The evidence is bounded ([`crate::config::ClassifyConfig::noncooperative_share`]):
//! aircraft without ADS-B (military, state, or with a transponder off) exist, so silence
//! can make an aircraft less likely but never rule one out.

use nalgebra::Vector3;
use skywatch_geo::{Geodetic, radar_horizon_m};

use crate::index::FxMap;

/// A receiver: where it is and what it has heard.
#[derive(Debug, Clone, Copy)]
struct Receiver {
    ecef: Vector3<f64>,
    /// The ellipsoid normal (local vertical) at the receiver.
    up: Vector3<f64>,
    alt_m: f64,
    /// Time of the newest message it passed on.
    last_t: f64,
    /// Farthest (ground) distance of any aircraft it heard, metres.
    reach_m: f64,
}

/// The ADS-B receivers heard from so far.
#[derive(Debug, Clone)]
pub struct Receivers {
    alive_s: f64,
    by_sensor: FxMap<u64, usize>,
    list: Vec<Receiver>,
}

impl Receivers {
    /// # Units
    /// `alive_s` seconds: how long after its newest message a receiver counts as
    /// working.
    pub fn new(alive_s: f64) -> Self {
        Receivers {
            alive_s: if alive_s.is_finite() { alive_s } else { 0.0 },
            by_sensor: FxMap::default(),
            list: Vec::new(),
        }
    }

    /// Records a message taken at `t` by receiver `sensor` standing at `at`, from an
    /// aircraft at ECEF `aircraft`.
    pub fn heard(&mut self, sensor: u64, at: &Geodetic, aircraft: &Vector3<f64>, t: f64) {
        if !(t.is_finite() && at.lat_deg.is_finite() && at.lon_deg.is_finite()) {
            return;
        }
        let ecef = at.to_ecef();
        let up = vertical(at);
        let d = ground_distance(&up, &ecef, aircraft);
        if !d.is_finite() {
            return;
        }
        match self.by_sensor.get(&sensor) {
            Some(&i) => {
                let r = &mut self.list[i];
                r.last_t = r.last_t.max(t);
                r.reach_m = r.reach_m.max(d);
                // A receiver that moved (re-surveyed): where it is now.
                r.ecef = ecef;
                r.up = up;
                r.alt_m = at.alt_m;
            }
            None => {
                self.by_sensor.insert(sensor, self.list.len());
                self.list.push(Receiver {
                    ecef,
                    up,
                    alt_m: at.alt_m,
                    last_t: t,
                    reach_m: d,
                });
            }
        }
    }

    /// True if some receiver working at `t` would hear a cooperative aircraft at ECEF
    /// `p`, `alt_m` above the surface: within the distance it has heard aircraft at and
    /// within the radio horizon.
    ///
    /// # Units
    /// Metres, seconds.
    pub fn cover(&self, p: &Vector3<f64>, alt_m: f64, t: f64) -> bool {
        if !alt_m.is_finite() {
            return false;
        }
        self.list.iter().any(|r| {
            let d = ground_distance(&r.up, &r.ecef, p);
            t - r.last_t <= self.alive_s
                && d <= r.reach_m
                && d <= radar_horizon_m(r.alt_m.max(0.0), alt_m.max(0.0))
        })
    }
}

/// The ellipsoid normal at `g`, ECEF axes.
fn vertical(g: &Geodetic) -> Vector3<f64> {
    let (lat, lon) = (g.lat_deg.to_radians(), g.lon_deg.to_radians());
    Vector3::new(lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin())
}

/// Horizontal distance from ECEF point `a` (with local vertical `up`) to `b`, metres:
/// the offset projected on `a`'s horizontal plane. Within the 300 km a receiver hears
/// at most, it is within 0.1 % of the distance along the ground (the plane cuts the
/// chord short by 1 - cos(d / R), and the chord the arc by less).
fn ground_distance(up: &Vector3<f64>, a: &Vector3<f64>, b: &Vector3<f64>) -> f64 {
    let d = b - a;
    (d - up * d.dot(up)).norm()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ecef(lat: f64, lon: f64, alt: f64) -> Vector3<f64> {
        Geodetic::new(lat, lon, alt).to_ecef()
    }

    #[test]
    fn a_receiver_covers_what_it_has_heard_within_line_of_sight() {
        let at = Geodetic::new(35.0, 128.0, 40.0);
        let mut r = Receivers::new(300.0);
        // Nothing heard: no receiver, no evidence.
        assert!(!r.cover(&ecef(35.1, 128.0, 500.0), 500.0, 10.0));
        // An airliner heard 1.8° (about 200 km) north.
        r.heard(7, &at, &ecef(36.8, 128.0, 10_000.0), 10.0);
        // 11 km away at 500 m: in sight, within what it heard.
        assert!(r.cover(&ecef(35.1, 128.0, 500.0), 500.0, 20.0));
        // 78 km away at 300 m: within the radio horizon (4/3 Earth: 26.1 km for the
        // receiver's 40 m plus 71.4 km for 300 m, 97.5 km).
        assert!(r.cover(&ecef(35.7, 128.0, 300.0), 300.0, 20.0));
        // 122 km away at 300 m: below its horizon.
        assert!(!r.cover(&ecef(36.1, 128.0, 300.0), 300.0, 20.0));
        // Farther than anything it has heard, even if in sight.
        assert!(!r.cover(&ecef(32.9, 128.0, 10_000.0), 10_000.0, 20.0));
        // A receiver silent for longer than `alive_s` may be down.
        assert!(!r.cover(&ecef(35.1, 128.0, 500.0), 500.0, 311.0));
        // Not a number is no coverage.
        assert!(!r.cover(&ecef(35.1, 128.0, 500.0), f64::NAN, 20.0));
    }

    #[test]
    fn ground_distance_ignores_height() {
        let g = Geodetic::new(35.0, 128.0, 0.0);
        let (up, a) = (vertical(&g), g.to_ecef());
        let b = ecef(35.0, 128.0, 5000.0);
        assert!(ground_distance(&up, &a, &b) < 0.01);
        // 0.1° of latitude at 35° N is 11.09 km on the ellipsoid.
        let c = ecef(35.1, 128.0, 0.0);
        let d = ground_distance(&up, &a, &c);
        assert!((d - 11_093.0).abs() < 20.0, "{d}");
    }
}
