//! How objects move: waypoint guidance with bank-limited coordinated turns, small
//! process noise, and meandering birds.
//!
//! Integration is on the ellipsoid's local tangent at the object (north/east metres
//! converted to degrees with the meridian and prime-vertical radii), in sub-steps of a
//! quarter second. At 50 m/s the flat-step error over 0.25 s is far below a millimetre.

use std::sync::Arc;

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use skywatch_geo::{Geodetic, WGS84_A, WGS84_E2, angle_diff_deg, normalize_deg};
use skywatch_model::{TruthClass, Velocity};

use crate::rng::normal;

/// Standard gravity, m/s².
const G: f64 = 9.806_65;
/// Integration sub-step, seconds.
const SUB_DT: f64 = 0.25;

/// Metres per degree of latitude and of longitude at a latitude.
///
/// # Units
/// Degrees in; metres per degree out.
pub fn metres_per_degree(lat_deg: f64) -> (f64, f64) {
    let s = lat_deg.to_radians().sin();
    let w = 1.0 - WGS84_E2 * s * s;
    let m = WGS84_A * (1.0 - WGS84_E2) / (w * w.sqrt());
    let n = WGS84_A / w.sqrt();
    let k = std::f64::consts::PI / 180.0;
    (m * k, n * lat_deg.to_radians().cos() * k)
}

/// Ground distance and bearing from `a` to `b` on the local tangent plane at their
/// mid-latitude: good to a fraction of a percent over a few hundred kilometres, which is
/// all guidance needs (it re-aims every sub-step).
///
/// # Units
/// Degrees in; returns `(metres, degrees clockwise from north)`.
pub fn flat_dist_bearing(a_lat: f64, a_lon: f64, b_lat: f64, b_lon: f64) -> (f64, f64) {
    let (mlat, mlon) = metres_per_degree(0.5 * (a_lat + b_lat));
    let dn = (b_lat - a_lat) * mlat;
    let de = (b_lon - a_lon) * mlon;
    (dn.hypot(de), normalize_deg(de.atan2(dn).to_degrees()))
}

/// Kinematic state of one object.
///
/// # Units
/// Degrees, metres, degrees from north, m/s, m/s, degrees/s.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct State {
    pub lat: f64,
    pub lon: f64,
    pub alt: f64,
    pub heading_deg: f64,
    pub speed: f64,
    pub vs: f64,
    pub turn_dps: f64,
}

impl State {
    /// Velocity in local north/east/up, m/s.
    pub fn velocity(&self) -> Velocity {
        let (s, c) = self.heading_deg.to_radians().sin_cos();
        Velocity {
            vn: self.speed * c,
            ve: self.speed * s,
            vu: self.vs,
        }
    }

    /// Position as a geodetic point.
    pub fn geodetic(&self) -> Geodetic {
        Geodetic::new(self.lat, self.lon, self.alt)
    }
}

/// A position and velocity at a whole second, kept to interpolate sensor times.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub lat: f64,
    pub lon: f64,
    pub alt: f64,
    pub vel: Velocity,
}

impl Sample {
    /// The sample of a state.
    pub fn of(s: &State) -> Sample {
        Sample {
            lat: s.lat,
            lon: s.lon,
            alt: s.alt,
            vel: s.velocity(),
        }
    }

    /// Linear interpolation; `f` in `[0, 1]`. Over one second a 6°/s turn leaves the
    /// chord at most ~0.7 m from the arc, well under every sensor's noise.
    pub fn lerp(&self, other: &Sample, f: f64) -> Geodetic {
        Geodetic::new(
            self.lat + (other.lat - self.lat) * f,
            self.lon + (other.lon - self.lon) * f,
            self.alt + (other.alt - self.alt) * f,
        )
    }
}

/// Flight-dynamics limits and noise of a routed object.
#[derive(Debug, Clone, Copy)]
pub struct Dynamics {
    /// Maximum bank angle, degrees: sets the turn rate `g tan(bank) / v`.
    pub max_bank_deg: f64,
    /// Maximum climb and descent rates, m/s.
    pub max_climb: f64,
    pub max_descent: f64,
    /// Heading random walk, degrees per √s (gusts, autopilot wander).
    pub heading_noise: f64,
    /// Speed Ornstein–Uhlenbeck: stationary sd (m/s) and time constant (s).
    pub speed_sd: f64,
    pub speed_tau: f64,
    /// Altitude wander around the commanded height: sd (m), time constant (s).
    pub alt_sd: f64,
    pub alt_tau: f64,
    /// Airliner speed schedule: `(speed near the ground, cruise speed)`, m/s; the
    /// nominal speed then grows with altitude up to 6000 m.
    pub schedule: Option<(f64, f64)>,
}

impl Dynamics {
    /// A small one-way attack drone.
    pub fn drone() -> Dynamics {
        Dynamics {
            max_bank_deg: 25.0,
            max_climb: 5.0,
            max_descent: 6.0,
            heading_noise: 0.3,
            speed_sd: 1.0,
            speed_tau: 60.0,
            alt_sd: 8.0,
            alt_tau: 60.0,
            schedule: None,
        }
    }

    /// A civil airliner.
    pub fn airliner() -> Dynamics {
        Dynamics {
            max_bank_deg: 25.0,
            max_climb: 12.0,
            max_descent: 12.0,
            heading_noise: 0.05,
            speed_sd: 2.0,
            speed_tau: 120.0,
            alt_sd: 0.0,
            alt_tau: 60.0,
            schedule: Some((80.0, 230.0)),
        }
    }
}

/// How an object decides where to go.
#[derive(Debug, Clone)]
pub enum Guidance {
    /// Fly the waypoints in order (fly-by turns); finished at the last one.
    Route {
        wps: Vec<[f64; 3]>,
        idx: usize,
        nominal_speed: f64,
        dyn_: Dynamics,
        speed_dev: f64,
        alt_dev: f64,
    },
    /// Wander within a radius of a centre (birds).
    Meander {
        centre: [f64; 2],
        radius_m: f64,
        nominal_speed: f64,
        nominal_alt: f64,
        speed_dev: f64,
        alt_dev: f64,
    },
}

/// Sensor-relevant traits of a cooperative aircraft.
#[derive(Debug, Clone)]
pub struct AdsbIdent {
    pub icao: u32,
    pub callsign: String,
    /// Fraction of a second at which it broadcasts its 1 Hz position.
    pub phase: f64,
}

/// One simulated object.
#[derive(Debug, Clone)]
pub struct SimObject {
    pub id: Arc<str>,
    /// Stable hash of `id`, the key of this object's random streams.
    pub key: u64,
    pub class: TruthClass,
    /// Whole second at which it appears.
    pub start_step: i64,
    /// Radar cross-section, m².
    pub rcs_m2: f64,
    /// Multiplier of the acoustic detection radius (aircraft are louder); 0 = silent.
    pub loudness: f64,
    pub adsb: Option<AdsbIdent>,
    pub state: State,
    pub guidance: Guidance,
    /// Process-noise stream of this object, consumed in time order only by it.
    pub rng: ChaCha8Rng,
    pub finished: bool,
}

impl SimObject {
    /// Advances by `dt` seconds (whole sub-steps). Sets `finished` when a route ends.
    pub fn advance(&mut self, dt: f64) {
        let n = (dt / SUB_DT).round().max(1.0) as usize;
        let h = dt / n as f64;
        for _ in 0..n {
            if self.finished {
                return;
            }
            self.substep(h);
        }
    }

    fn substep(&mut self, dt: f64) {
        let s = &mut self.state;
        let rng = &mut self.rng;
        // Commanded heading, speed and altitude, by guidance mode.
        let (want_heading, want_speed, want_alt, time_to_go, dyn_) = match &mut self.guidance {
            Guidance::Route {
                wps,
                idx,
                nominal_speed,
                dyn_,
                speed_dev,
                alt_dev,
            } => {
                let v = s.speed.max(1.0);
                let omega_max = G * dyn_.max_bank_deg.to_radians().tan() / v;
                let mut wp = wps[*idx];
                let (mut dist, mut brg) = flat_dist_bearing(s.lat, s.lon, wp[0], wp[1]);
                if *idx + 1 < wps.len() {
                    // Fly-by: start the turn one turn-lead before the waypoint, so the
                    // object rolls out on the next leg instead of overshooting.
                    let next = wps[*idx + 1];
                    let (_, next_brg) = flat_dist_bearing(wp[0], wp[1], next[0], next[1]);
                    let turn = angle_diff_deg(next_brg, brg).abs().min(150.0);
                    let lead = v / omega_max * (turn.to_radians() / 2.0).tan();
                    if dist < lead.max(v * dt * 2.0) {
                        *idx += 1;
                        wp = wps[*idx];
                        (dist, brg) = flat_dist_bearing(s.lat, s.lon, wp[0], wp[1]);
                    }
                } else if dist < v * dt * 1.5 {
                    self.finished = true;
                }
                // Speed and altitude wander (Ornstein–Uhlenbeck).
                *speed_dev += -*speed_dev / dyn_.speed_tau * dt
                    + normal(rng, dyn_.speed_sd * (2.0 * dt / dyn_.speed_tau).sqrt());
                *alt_dev += -*alt_dev / dyn_.alt_tau * dt
                    + normal(rng, dyn_.alt_sd * (2.0 * dt / dyn_.alt_tau).sqrt());
                let base_speed = match dyn_.schedule {
                    Some((low, cruise)) => low + (cruise - low) * (s.alt / 6000.0).clamp(0.0, 1.0),
                    None => *nominal_speed,
                };
                (
                    brg,
                    base_speed + *speed_dev,
                    wp[2] + *alt_dev,
                    dist / v,
                    *dyn_,
                )
            }
            Guidance::Meander {
                centre,
                radius_m,
                nominal_speed,
                nominal_alt,
                speed_dev,
                alt_dev,
            } => {
                let (dist, brg) = flat_dist_bearing(s.lat, s.lon, centre[0], centre[1]);
                // Wander freely; past the radius, head home.
                let want = if dist > *radius_m {
                    brg
                } else {
                    s.heading_deg + normal(rng, 25.0 * dt.sqrt())
                };
                *speed_dev += -*speed_dev / 20.0 * dt + normal(rng, 2.0 * (dt / 10.0).sqrt());
                *alt_dev += -*alt_dev / 60.0 * dt + normal(rng, 30.0 * (dt / 30.0).sqrt());
                let dyn_ = Dynamics {
                    max_bank_deg: 45.0,
                    max_climb: 2.0,
                    max_descent: 2.0,
                    heading_noise: 2.0,
                    speed_sd: 0.0,
                    speed_tau: 1.0,
                    alt_sd: 0.0,
                    alt_tau: 1.0,
                    schedule: None,
                };
                (
                    want,
                    (*nominal_speed + *speed_dev).max(5.0),
                    (*nominal_alt + *alt_dev).max(10.0),
                    30.0,
                    dyn_,
                )
            }
        };

        // Heading: proportional command, limited by the bank-limited turn rate, reached
        // with a finite roll rate (about three seconds to full bank).
        let v = s.speed.max(1.0);
        let omega_max = (G * dyn_.max_bank_deg.to_radians().tan() / v).to_degrees();
        let err = angle_diff_deg(want_heading, s.heading_deg);
        let cmd = (0.25 * err).clamp(-omega_max, omega_max);
        let max_dw = omega_max / 3.0 * dt;
        s.turn_dps += (cmd - s.turn_dps).clamp(-max_dw, max_dw);
        s.heading_deg = normalize_deg(
            s.heading_deg + s.turn_dps * dt + normal(rng, dyn_.heading_noise * dt.sqrt()),
        );

        // Speed follows its command with a ~10 s time constant (thrust, drag).
        s.speed += (want_speed - s.speed) * (dt / 10.0).min(1.0);

        // Vertical: aim to reach the commanded height by the waypoint, within limits.
        let vs_cmd =
            ((want_alt - s.alt) / time_to_go.max(5.0)).clamp(-dyn_.max_descent, dyn_.max_climb);
        s.vs += (vs_cmd - s.vs) * (dt / 3.0).min(1.0);

        let (mlat, mlon) = metres_per_degree(s.lat);
        let (sh, ch) = s.heading_deg.to_radians().sin_cos();
        s.lat += s.speed * ch * dt / mlat;
        s.lon += s.speed * sh * dt / mlon;
        s.alt = (s.alt + s.vs * dt).max(1.0);
    }
}

/// Initial state flying from `a` towards `b` at `speed`.
pub fn state_towards(a: [f64; 3], b: [f64; 2], speed: f64) -> State {
    let (_, brg) = flat_dist_bearing(a[0], a[1], b[0], b[1]);
    State {
        lat: a[0],
        lon: a[1],
        alt: a[2],
        heading_deg: brg,
        speed,
        vs: 0.0,
        turn_dps: 0.0,
    }
}

/// A random heading in degrees.
pub fn random_heading(rng: &mut impl Rng) -> f64 {
    rng.gen_range(0.0..360.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Purpose, Streams};

    fn drone(route: Vec<[f64; 3]>) -> SimObject {
        let state = state_towards(route[0], [route[1][0], route[1][1]], 48.0);
        SimObject {
            id: Arc::from("T"),
            key: 1,
            class: TruthClass::Drone,
            start_step: 0,
            rcs_m2: 0.1,
            loudness: 1.0,
            adsb: None,
            state,
            guidance: Guidance::Route {
                wps: route[1..].to_vec(),
                idx: 0,
                nominal_speed: 48.0,
                dyn_: Dynamics::drone(),
                speed_dev: 0.0,
                alt_dev: 0.0,
            },
            rng: Streams::new(3).rng(Purpose::Object, 1, 0, 0),
            finished: false,
        }
    }

    #[test]
    fn drone_flies_a_right_angle_route_with_bounded_turn_rate() {
        // East 10 km, then north 10 km.
        let start = [37.5, 127.0, 300.0];
        let (mlat, mlon) = metres_per_degree(37.5);
        let corner = [37.5, 127.0 + 10_000.0 / mlon, 300.0];
        let end = [37.5 + 10_000.0 / mlat, corner[1], 300.0];
        let mut o = drone(vec![start, corner, end]);
        let mut max_turn: f64 = 0.0;
        let mut t = 0;
        while !o.finished && t < 2000 {
            o.advance(1.0);
            max_turn = max_turn.max(o.state.turn_dps.abs());
            t += 1;
        }
        assert!(o.finished, "route not finished in {t} s");
        // 20 km at ~48 m/s is ~417 s; fly-by cuts the corner a little.
        assert!((380..=460).contains(&t), "took {t} s");
        // Bank 25° at 48 m/s: 5.6°/s.
        assert!(max_turn <= 5.8 && max_turn > 3.0, "max turn {max_turn}");
        let (miss, _) = flat_dist_bearing(o.state.lat, o.state.lon, end[0], end[1]);
        assert!(miss < 150.0, "ended {miss} m from the last waypoint");
        assert!((o.state.alt - 300.0).abs() < 40.0, "alt {}", o.state.alt);
    }

    #[test]
    fn flat_bearing_matches_geodesic() {
        let a = Geodetic::new(37.5, 127.0, 0.0);
        let b = Geodetic::new(37.9, 127.4, 0.0);
        let (d, brg) = flat_dist_bearing(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg);
        let (dg, brg_g) = a.geodesic_to(&b);
        assert!((d - dg).abs() / dg < 1e-3, "{d} vs {dg}");
        assert!(angle_diff_deg(brg, brg_g).abs() < 0.2, "{brg} vs {brg_g}");
    }
}
