//! Helpers shared by the engine tests: straight-line targets, radar and bearing reports.

#![allow(dead_code)]

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};
use skywatch_geo::{Aer, Geodetic, LocalFrame};
use skywatch_model::{
    AdsbMsg, BearingObs, Class, Measurement, RadarPlot, Report, SensorId, TrackEstimate, Velocity,
};

/// Test theatre origin.
pub const ORIGIN: Geodetic = Geodetic::new(37.5, 127.0, 0.0);

pub fn frame() -> LocalFrame {
    LocalFrame::new(ORIGIN)
}

/// A target on a straight line in the ENU frame at `ORIGIN`.
#[derive(Debug, Clone, Copy)]
pub struct Line {
    pub p0: [f64; 3],
    pub v: [f64; 3],
}

impl Line {
    pub fn enu(&self, t: f64) -> nalgebra::Vector3<f64> {
        nalgebra::Vector3::new(
            self.p0[0] + self.v[0] * t,
            self.p0[1] + self.v[1] * t,
            self.p0[2] + self.v[2] * t,
        )
    }
    pub fn geo(&self, t: f64) -> Geodetic {
        frame().enu_to_geodetic(&self.enu(t))
    }
    /// The velocity as an ADS-B message gives it (the test frame's axes; within tens of
    /// kilometres of `ORIGIN` they differ from the target's own by a fraction of a
    /// degree).
    pub fn vel(&self) -> Velocity {
        Velocity {
            ve: self.v[0],
            vn: self.v[1],
            vu: self.v[2],
        }
    }
}

pub fn gauss(rng: &mut ChaCha8Rng, sd: f64) -> f64 {
    Normal::new(0.0, sd).map(|n| n.sample(rng)).unwrap_or(0.0)
}

pub fn radar_report(
    rng: &mut ChaCha8Rng,
    radar: Geodetic,
    target: Geodetic,
    t: f64,
    rx: f64,
) -> Report {
    let aer = skywatch_geo::aer_between(&radar, &target);
    let (sr, sa, se) = (20.0, 0.3, 0.3);
    Report {
        t,
        rx,
        sensor: SensorId::new("R1"),
        class_hint: None,
        snr_db: None,
        measurement: Measurement::Radar(RadarPlot {
            sensor_pos: radar,
            range_m: aer.range_m + gauss(rng, sr),
            az_deg: skywatch_geo::normalize_deg(aer.az_deg + gauss(rng, sa)),
            sd_range_m: sr,
            sd_az_deg: sa,
            el_deg: Some((aer.el_deg + gauss(rng, se)).clamp(-90.0, 90.0)),
            sd_el_deg: Some(se),
        }),
    }
}

/// Radar plots of each of `lines` at `t` (the i-th `stagger` seconds later), received
/// `delay` seconds after they were taken.
pub fn ingest_plots(
    eng: &mut skywatch_track::Engine,
    rng: &mut ChaCha8Rng,
    radar: Geodetic,
    lines: &[Line],
    t: f64,
    stagger: f64,
    delay: f64,
) {
    for (i, line) in lines.iter().enumerate() {
        let tt = t + stagger * i as f64;
        eng.ingest(&radar_report(rng, radar, line.geo(tt), tt, tt + delay))
            .expect("valid");
    }
}

pub fn clutter_plot(rng: &mut ChaCha8Rng, radar: Geodetic, t: f64) -> Report {
    let aer = Aer {
        az_deg: rng.gen_range(0.0..360.0),
        el_deg: rng.gen_range(0.0..8.0),
        range_m: rng.gen_range(1000.0..20000.0),
    };
    plot_report(radar, aer, t, t)
}

/// A noise-free radar plot of sensor "R1" at `aer`, with the usual plot sigmas.
pub fn plot_report(radar: Geodetic, aer: Aer, t: f64, rx: f64) -> Report {
    Report {
        t,
        rx,
        sensor: SensorId::new("R1"),
        class_hint: None,
        snr_db: None,
        measurement: Measurement::Radar(RadarPlot {
            sensor_pos: radar,
            range_m: aer.range_m,
            az_deg: aer.az_deg,
            sd_range_m: 20.0,
            sd_az_deg: 0.3,
            el_deg: Some(aer.el_deg),
            sd_el_deg: Some(0.3),
        }),
    }
}

#[allow(clippy::too_many_arguments)]
pub fn bearing_report(
    rng: &mut ChaCha8Rng,
    sensor: &str,
    from: Geodetic,
    target: Geodetic,
    sd_deg: f64,
    t: f64,
    rx: f64,
    mobile: bool,
) -> Report {
    let aer = skywatch_geo::aer_between(&from, &target);
    Report {
        t,
        rx,
        sensor: SensorId::new(sensor),
        class_hint: if mobile { Some(Class::Drone) } else { None },
        snr_db: None,
        measurement: Measurement::Bearing(BearingObs {
            from,
            mobile,
            az_deg: skywatch_geo::normalize_deg(aer.az_deg + gauss(rng, sd_deg)),
            sd_az_deg: sd_deg,
            el_deg: None,
            sd_el_deg: None,
            reach_m: None,
        }),
    }
}

/// A fixed node's bearing that declares the node's reach (`max_range_m`).
pub fn heard_report(
    rng: &mut ChaCha8Rng,
    sensor: &str,
    from: Geodetic,
    target: Geodetic,
    sd_deg: f64,
    t: f64,
    reach_m: f64,
) -> Report {
    let mut r = bearing_report(rng, sensor, from, target, sd_deg, t, t + 0.4, false);
    if let Measurement::Bearing(b) = &mut r.measurement {
        b.reach_m = Some(reach_m);
    }
    r
}

pub fn adsb_report(icao: u32, pos: Geodetic, vel: Velocity, t: f64) -> Report {
    Report {
        t,
        rx: t + 0.2,
        sensor: SensorId::new("ADSB1"),
        class_hint: None,
        snr_db: None,
        measurement: Measurement::Adsb(AdsbMsg {
            icao,
            callsign: Some("KAL123".into()),
            pos,
            vel: Some(vel),
            receiver: None,
        }),
    }
}

/// [`adsb_report`] passed on by a receiver declared at `receiver`.
pub fn adsb_heard(
    icao: u32,
    pos: Geodetic,
    vel: Velocity,
    t: f64,
    receiver: Option<Geodetic>,
) -> Report {
    let mut msg = adsb_report(icao, pos, vel, t);
    if let Measurement::Adsb(a) = &mut msg.measurement {
        a.receiver = receiver;
    }
    msg
}

/// Horizontal distance between an estimate and a truth position, metres.
pub fn dist_h(e: &TrackEstimate, truth: &Geodetic) -> f64 {
    let f = frame();
    let a = f.geodetic_to_enu(&e.pos);
    let b = f.geodetic_to_enu(truth);
    (a - b).xy().norm()
}
