//! Skywatch's domain vocabulary, shared by every core crate.
//!
//! These types are deliberately **not** `Serialize`/`Deserialize`: the wire form of each
//! lives in the crate that owns that format (`skywatch-scenario` for the v1 interchange
//! files, later ASTERIX, SAPIENT, CAP...), and conversion to and from the wire is
//! explicit there. That keeps a field rename in one format from silently changing
//! another, and keeps this crate free of any IO or parsing concern.
//!
//! Time is `f64` seconds since the scenario (or service) epoch: the tracker never reads
//! a clock, it is told the time by the reports it is given.

use std::fmt;
use std::sync::Arc;

pub use skywatch_geo::Geodetic;

/// Seconds since the epoch of the scenario or service.
pub type Seconds = f64;

/// What an object is believed to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    Drone,
    Aircraft,
    Bird,
    Unknown,
}

impl Class {
    pub const ALL: [Class; 4] = [Class::Drone, Class::Aircraft, Class::Bird, Class::Unknown];

    pub fn as_str(self) -> &'static str {
        match self {
            Class::Drone => "drone",
            Class::Aircraft => "aircraft",
            Class::Bird => "bird",
            Class::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<Class> {
        Some(match s {
            "drone" => Class::Drone,
            "aircraft" => Class::Aircraft,
            "bird" => Class::Bird,
            "unknown" => Class::Unknown,
            _ => return None,
        })
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an object really is (ground truth; only simulators and scorers know it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TruthClass {
    Drone,
    /// Flies like a drone, carries nothing; warned about exactly like a drone.
    Decoy,
    Aircraft,
    Bird,
}

impl TruthClass {
    pub fn as_str(self) -> &'static str {
        match self {
            TruthClass::Drone => "drone",
            TruthClass::Decoy => "decoy",
            TruthClass::Aircraft => "aircraft",
            TruthClass::Bird => "bird",
        }
    }

    pub fn parse(s: &str) -> Option<TruthClass> {
        Some(match s {
            "drone" => TruthClass::Drone,
            "decoy" => TruthClass::Decoy,
            "aircraft" => TruthClass::Aircraft,
            "bird" => TruthClass::Bird,
            _ => return None,
        })
    }

    /// Drones and decoys: the objects people must be warned about.
    pub fn is_threat(self) -> bool {
        matches!(self, TruthClass::Drone | TruthClass::Decoy)
    }

    /// Objects a tracker is scored on (GOSPA): everything but birds.
    pub fn is_scored(self) -> bool {
        !matches!(self, TruthClass::Bird)
    }
}

/// Velocity in the local north/east/up frame at the object.
///
/// # Units
/// Metres per second.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Velocity {
    pub vn: f64,
    pub ve: f64,
    pub vu: f64,
}

impl Velocity {
    pub fn horizontal_speed(&self) -> f64 {
        self.vn.hypot(self.ve)
    }
}

/// A sensor's identifier: a fixed sensor's id from the scenario, or any string for a
/// mobile reporter. Cheap to clone.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SensorId(pub Arc<str>);

impl SensorId {
    pub fn new(s: &str) -> Self {
        SensorId(Arc::from(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SensorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One sensor report, with every position it depends on resolved.
///
/// The tracker needs nothing else: a radar plot carries its radar's position, a bearing
/// its origin, so the engine never looks anything up in a sensor table.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// When the measurement was taken.
    pub t: Seconds,
    /// When the report arrived at the system (`rx >= t`).
    pub rx: Seconds,
    pub sensor: SensorId,
    /// The sensor's own guess of what it saw.
    pub class_hint: Option<Class>,
    pub snr_db: Option<f64>,
    pub measurement: Measurement,
}

/// What a report measured.
#[derive(Debug, Clone, PartialEq)]
pub enum Measurement {
    Radar(RadarPlot),
    Bearing(BearingObs),
    Position(PositionFix),
    Adsb(AdsbMsg),
}

impl Measurement {
    pub fn kind(&self) -> &'static str {
        match self {
            Measurement::Radar(_) => "radar",
            Measurement::Bearing(_) => "bearing",
            Measurement::Position(_) => "position",
            Measurement::Adsb(_) => "adsb",
        }
    }
}

/// A plot from a fixed radar.
///
/// # Units
/// `range_m` slant range in metres; `az_deg` clockwise from true north; `el_deg` above the
/// sensor's local horizontal plane; `sd_*` one sigma in the value's units. `el_deg` is
/// `None` for a 2D radar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RadarPlot {
    pub sensor_pos: Geodetic,
    pub range_m: f64,
    pub az_deg: f64,
    pub sd_range_m: f64,
    pub sd_az_deg: f64,
    pub el_deg: Option<f64>,
    pub sd_el_deg: Option<f64>,
}

/// A direction only: an acoustic node, or a person pointing a phone.
///
/// # Units
/// Degrees, as [`RadarPlot`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BearingObs {
    pub from: Geodetic,
    /// The reporter gave its own position inline (a person, a vehicle): it moves, and its
    /// position itself carries GPS error.
    pub mobile: bool,
    pub az_deg: f64,
    pub sd_az_deg: f64,
    pub el_deg: Option<f64>,
    pub sd_el_deg: Option<f64>,
    /// Farthest the (fixed) sensor hears a drone, metres, when its registry entry says
    /// (`max_range_m` in `scenario.json`): "heard" then also means "within this range",
    /// which is what lets one node's bearings locate a target. `None` for mobile
    /// reporters and sensors that declare no range.
    pub reach_m: Option<f64>,
}

/// A located object (multilateration, optical fix, manual report).
///
/// # Units
/// `sd_h_m` horizontal one sigma per axis, `sd_v_m` vertical one sigma, metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PositionFix {
    pub pos: Geodetic,
    pub sd_h_m: f64,
    pub sd_v_m: f64,
}

/// A cooperative aircraft's own broadcast.
#[derive(Debug, Clone, PartialEq)]
pub struct AdsbMsg {
    /// 24-bit ICAO address.
    pub icao: u32,
    pub callsign: Option<Arc<str>>,
    pub pos: Geodetic,
    pub vel: Option<Velocity>,
    /// Where the receiver that heard it stands, if known (a receiver declared in
    /// `scenario.json`): with it a tracker knows where a cooperative aircraft would be
    /// heard, and so where not hearing one is evidence.
    pub receiver: Option<Geodetic>,
}

/// A track as a tracker reports it at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackEstimate {
    pub t: Seconds,
    /// Stable for the life of the track.
    pub id: u64,
    pub pos: Geodetic,
    pub vel: Velocity,
    pub class: Class,
    /// Confidence in `class`, 0 to 1.
    pub class_confidence: f64,
    /// One-sigma horizontal position uncertainty, metres.
    pub cov_h_m: Option<f64>,
    /// Identity of a cooperative aircraft, when known.
    pub icao: Option<u32>,
    pub callsign: Option<Arc<str>>,
}

/// One ground-truth sample of one object.
#[derive(Debug, Clone, PartialEq)]
pub struct TruthSample {
    pub t: Seconds,
    pub id: Arc<str>,
    pub class: TruthClass,
    pub pos: Geodetic,
    pub vel: Velocity,
}

/// A warning area switching on or off.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertChange {
    pub t: Seconds,
    /// The area's `code`.
    pub area: Arc<str>,
    pub on: bool,
    /// Expected time to the first threat's entry, seconds from `t`.
    pub eta_s: Option<f64>,
    /// The tracks behind the change.
    pub tracks: Vec<u64>,
}

/// What the warning engine needs to know of one track at one moment: the estimate plus
/// its uncertainty and manoeuvre state. Produced by the tracker (or, for
/// `--perfect-tracks`, from truth), consumed by the predictor.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackSnapshot {
    pub estimate: TrackEstimate,
    /// Covariance of (east, north, v_east, v_north) in the local ENU frame at the track's
    /// position. Units m², m²/s, m²/s².
    pub cov_h: [[f64; 4]; 4],
    /// Estimated turn rate, rad/s; positive turns clockwise seen from above (heading, an
    /// azimuth, increases).
    pub turn_rate: f64,
    /// One sigma of `turn_rate`, rad/s.
    pub sd_turn_rate: f64,
    /// Probability the tracker gives to the manoeuvring (coordinated-turn) motion mode.
    pub p_manoeuvre: f64,
    /// Probability the object is a threat (drone or decoy): not cooperative, not a bird.
    pub p_threat: f64,
    /// Time of the last measurement that updated the track.
    pub last_update_t: Seconds,
    /// Whether the tracker expects to hear of the object where it now is, if it is
    /// still flying: an acoustic node within reach of it or of its path ahead, or a
    /// radar that was still plotting it (or losing it while it closed in, as a diving
    /// drone). A track that falls silent in coverage has most likely ended (an impact,
    /// a landing); one that falls silent out of coverage has flown on where nobody is
    /// looking, and the warning engine keeps predicting it. Always true for tracks made
    /// from truth (`--perfect-tracks`) and for cooperative ones.
    pub in_coverage: bool,
}
