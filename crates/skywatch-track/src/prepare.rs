//! Validation of incoming reports and their conversion to a prepared form with the
//! geometry (ECEF positions, rotations, radians) computed once per report.

use std::hash::Hasher;
use std::sync::Arc;

use nalgebra::{Matrix3, Vector3};
use skywatch_geo::{Geodetic, ecef_to_enu_rotation};
use skywatch_model::{Class, Measurement, Report};

use crate::config::EngineConfig;
use crate::error::Rejection;
use crate::index::FxHasher;

/// A validated measurement with its geometry resolved.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Measurement time, seconds.
    pub t: f64,
    /// Hash of the sensor id (batches, "same sensor" tests).
    pub sensor: u64,
    /// Hash of sensor, time and values (duplicate detection).
    pub key: u64,
    pub hint: Option<Class>,
    pub kind: Kind,
}

/// Where a measurement was taken from: ECEF position and ECEF->ENU rotation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Origin {
    pub geo: Geodetic,
    pub ecef: Vector3<f64>,
    pub rot: Matrix3<f64>,
    pub alt_m: f64,
}

impl Origin {
    /// # Units
    /// Degrees and metres.
    pub fn new(g: &Geodetic) -> Self {
        Origin {
            geo: *g,
            ecef: g.to_ecef(),
            rot: ecef_to_enu_rotation(g.lat_deg, g.lon_deg),
            alt_m: g.alt_m,
        }
    }

    /// ECEF point at a local ENU offset.
    pub fn point(&self, enu: &Vector3<f64>) -> Vector3<f64> {
        self.ecef + self.rot.transpose() * enu
    }
}

/// The prepared kinds. Angles in radians, lengths in metres.
#[derive(Debug, Clone)]
pub enum Kind {
    Radar {
        origin: Origin,
        range: f64,
        az: f64,
        el: Option<f64>,
        sd_range: f64,
        sd_az: f64,
        sd_el: f64,
    },
    Bearing {
        origin: Origin,
        az: f64,
        el: Option<f64>,
        sd_az: f64,
        sd_el: f64,
        mobile: bool,
        /// Farthest the sensor hears, slant range (a fixed node's declared reach).
        reach: Option<f64>,
    },
    Position {
        ecef: Vector3<f64>,
        sd_h: f64,
        sd_v: f64,
    },
    Adsb {
        icao: u32,
        callsign: Option<Arc<str>>,
        pos: Geodetic,
        ecef: Vector3<f64>,
        /// Velocity (east, north, up) in the local axes at the aircraft.
        vel: Option<Vector3<f64>>,
        /// Where the receiver stands, if declared.
        receiver: Option<Geodetic>,
    },
}

fn finite(v: f64, name: &'static str) -> Result<f64, Rejection> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(Rejection::NonFinite(name))
    }
}

fn sigma(v: f64, name: &'static str, max: f64) -> Result<f64, Rejection> {
    finite(v, name)?;
    if v > 0.0 && v <= max {
        Ok(v)
    } else {
        Err(Rejection::BadSigma(name))
    }
}

fn geodetic(g: &Geodetic) -> Result<(), Rejection> {
    finite(g.lat_deg, "lat")?;
    finite(g.lon_deg, "lon")?;
    finite(g.alt_m, "alt_m")?;
    if g.lat_deg.abs() > 90.0 || g.lon_deg.abs() > 360.0 {
        return Err(Rejection::OutOfRange("lat/lon"));
    }
    // Below the Dead Sea shore or above 100 km is not an airspace object.
    if !(-1000.0..=100_000.0).contains(&g.alt_m) {
        return Err(Rejection::OutOfRange("alt_m"));
    }
    Ok(())
}

fn angle(v: f64, name: &'static str) -> Result<f64, Rejection> {
    finite(v, name)?;
    if v.abs() > 720.0 {
        return Err(Rejection::OutOfRange(name));
    }
    Ok(v.to_radians())
}

fn elevation(v: f64, name: &'static str) -> Result<f64, Rejection> {
    finite(v, name)?;
    if v.abs() > 90.0 {
        return Err(Rejection::OutOfRange(name));
    }
    Ok(v.to_radians())
}

/// Checks a report and resolves its geometry.
pub fn prepare(r: &Report, cfg: &EngineConfig) -> Result<Prepared, Rejection> {
    finite(r.t, "t")?;
    finite(r.rx, "rx")?;
    // A millisecond of slack for clock rounding between t and rx.
    if r.rx + 1e-3 < r.t {
        return Err(Rejection::BadTime);
    }
    let mut h = FxHasher::default();
    h.write(r.sensor.as_str().as_bytes());
    let sensor = h.finish();
    h.write_u64(r.t.to_bits());
    let min_bsd = cfg.sensors.min_bearing_sd_deg.max(1e-3);
    let kind = match &r.measurement {
        Measurement::Radar(p) => {
            geodetic(&p.sensor_pos)?;
            let range = finite(p.range_m, "range_m")?;
            if !(1.0..=1_000_000.0).contains(&range) {
                return Err(Rejection::OutOfRange("range_m"));
            }
            let az = angle(p.az_deg, "az_deg")?;
            let sd_range = sigma(p.sd_range_m, "sd_range_m", 10_000.0)?;
            let sd_az = sigma(p.sd_az_deg, "sd_az_deg", 45.0)?.to_radians();
            let el = p.el_deg.map(|e| elevation(e, "el_deg")).transpose()?;
            let sd_el = match (el, p.sd_el_deg) {
                (Some(_), Some(s)) => sigma(s, "sd_el_deg", 45.0)?.to_radians(),
                (Some(_), None) => return Err(Rejection::BadSigma("sd_el_deg")),
                (None, _) => 0.0,
            };
            h.write_u64(range.to_bits() ^ az.to_bits().rotate_left(17));
            Kind::Radar {
                origin: Origin::new(&p.sensor_pos),
                range,
                az,
                el,
                sd_range,
                sd_az,
                sd_el,
            }
        }
        Measurement::Bearing(b) => {
            geodetic(&b.from)?;
            let az = angle(b.az_deg, "az_deg")?;
            let sd_az = sigma(b.sd_az_deg, "sd_az_deg", 90.0)?
                .max(min_bsd)
                .to_radians();
            let el = b.el_deg.map(|e| elevation(e, "el_deg")).transpose()?;
            let sd_el = match (el, b.sd_el_deg) {
                (Some(_), Some(s)) => sigma(s, "sd_el_deg", 90.0)?.max(min_bsd).to_radians(),
                (Some(_), None) => return Err(Rejection::BadSigma("sd_el_deg")),
                (None, _) => 0.0,
            };
            let reach = match b.reach_m {
                // A reach describes a fixed node; a moving reporter has none.
                Some(_) if b.mobile => None,
                Some(r) => {
                    finite(r, "reach_m")?;
                    if !(1.0..=1_000_000.0).contains(&r) {
                        return Err(Rejection::OutOfRange("reach_m"));
                    }
                    Some(r)
                }
                None => None,
            };
            h.write_u64(az.to_bits());
            Kind::Bearing {
                origin: Origin::new(&b.from),
                az,
                el,
                sd_az,
                sd_el,
                mobile: b.mobile,
                reach,
            }
        }
        Measurement::Position(f) => {
            geodetic(&f.pos)?;
            let sd_h = sigma(f.sd_h_m, "sd_h_m", 50_000.0)?;
            let sd_v = sigma(f.sd_v_m, "sd_v_m", 50_000.0)?;
            h.write_u64(f.pos.lat_deg.to_bits() ^ f.pos.lon_deg.to_bits().rotate_left(7));
            Kind::Position {
                ecef: f.pos.to_ecef(),
                sd_h,
                sd_v,
            }
        }
        Measurement::Adsb(a) => {
            geodetic(&a.pos)?;
            if a.icao > 0xFF_FFFF {
                return Err(Rejection::OutOfRange("icao"));
            }
            let vel = match a.vel {
                Some(v) => {
                    let v = Vector3::new(
                        finite(v.ve, "ve")?,
                        finite(v.vn, "vn")?,
                        finite(v.vu, "vu")?,
                    );
                    if v.norm() > 1500.0 {
                        return Err(Rejection::OutOfRange("velocity"));
                    }
                    Some(v)
                }
                None => None,
            };
            h.write_u64(a.icao as u64 ^ a.pos.lat_deg.to_bits());
            Kind::Adsb {
                icao: a.icao,
                callsign: a.callsign.clone(),
                pos: a.pos,
                ecef: a.pos.to_ecef(),
                vel,
                receiver: a.receiver,
            }
        }
    };
    Ok(Prepared {
        t: r.t,
        sensor,
        key: h.finish(),
        hint: r.class_hint,
        kind,
    })
}
