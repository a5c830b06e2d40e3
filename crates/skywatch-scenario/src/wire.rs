//! Wire records, field for field as in the spec. Optional fields are skipped when absent
//! on output and tolerated when absent on input; unknown fields are ignored.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize};
use skywatch_geo::Geodetic;
use skywatch_model::{
    AdsbMsg, AlertChange, BearingObs, Class, Measurement, PositionFix, RadarPlot, Report, SensorId,
    TrackEstimate, TruthClass, TruthSample, Velocity,
};

use crate::{Error, FORMAT_V1, LineError, SensorTable};

/// `scenario.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioMeta {
    pub format: String,
    #[serde(default)]
    pub name: String,
    /// RFC 3339 UTC instant that `t = 0` stands for.
    pub epoch: String,
    #[serde(default)]
    pub duration_s: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub centre: Option<GeoPoint>,
    pub sensors: Vec<SensorSpec>,
}

impl ScenarioMeta {
    pub fn new(name: &str, epoch: &str, duration_s: f64) -> ScenarioMeta {
        ScenarioMeta {
            format: FORMAT_V1.to_string(),
            name: name.to_string(),
            epoch: epoch.to_string(),
            duration_s,
            centre: None,
            sensors: Vec::new(),
        }
    }

    /// Reads and checks a `scenario.json`.
    pub fn read(path: &Path) -> Result<ScenarioMeta, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        // Check the format first, so that a future format is named as such rather than
        // reported as a confusing missing field.
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| Error::Json {
            path: path.to_path_buf(),
            source: e,
        })?;
        match value.get("format").and_then(|f| f.as_str()) {
            Some(FORMAT_V1) => {}
            other => {
                return Err(Error::UnknownFormat {
                    path: path.to_path_buf(),
                    found: other.map_or_else(|| "<missing>".to_string(), str::to_string),
                });
            }
        }
        let meta: ScenarioMeta = serde_json::from_value(value).map_err(|e| Error::Json {
            path: path.to_path_buf(),
            source: e,
        })?;
        meta.check().map_err(|what| Error::Invalid {
            path: path.to_path_buf(),
            what,
        })?;
        Ok(meta)
    }

    pub fn write(&self, path: &Path) -> Result<(), Error> {
        let text = serde_json::to_string(self).map_err(|e| Error::Json {
            path: path.to_path_buf(),
            source: e,
        })?;
        std::fs::write(path, text + "\n").map_err(|e| Error::io(path, e))
    }

    fn check(&self) -> Result<(), String> {
        chrono::DateTime::parse_from_rfc3339(&self.epoch).map_err(|e| {
            format!(
                "field `epoch` = {:?} is not an RFC 3339 time: {e}",
                self.epoch
            )
        })?;
        if !(self.duration_s.is_finite() && self.duration_s >= 0.0) {
            return Err(format!(
                "field `duration_s` = {} must be a finite number >= 0",
                self.duration_s
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for s in &self.sensors {
            if !seen.insert(s.id.as_str()) {
                return Err(format!("sensor {:?} is listed twice", s.id));
            }
            check_lat_lon_alt(s.lat, s.lon, s.alt_m)
                .map_err(|e| format!("sensor {:?}: {e}", s.id))?;
            if let Some(r) = s.max_range_m
                && !(r.is_finite() && r > 0.0)
            {
                return Err(format!(
                    "sensor {:?}: field `max_range_m` = {r} must be a finite number > 0",
                    s.id
                ));
            }
        }
        Ok(())
    }

    /// Seconds since the Unix epoch of `t = 0`.
    pub fn epoch_unix_s(&self) -> Option<f64> {
        chrono::DateTime::parse_from_rfc3339(&self.epoch)
            .ok()
            .map(|d| d.timestamp_millis() as f64 / 1000.0)
    }
}

/// A `{lat, lon, alt_m}` point (the `centre` of a scenario).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
    #[serde(default)]
    pub alt_m: f64,
}

impl GeoPoint {
    pub fn to_geodetic(self) -> Geodetic {
        Geodetic::new(self.lat, self.lon, self.alt_m)
    }

    pub fn from_geodetic(g: Geodetic) -> GeoPoint {
        GeoPoint {
            lat: g.lat_deg,
            lon: g.lon_deg,
            alt_m: g.alt_m,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SensorKind {
    Radar,
    Acoustic,
    Adsb,
    Other,
}

/// Reach assumed for a `kind: acoustic` node whose registry entry declares no
/// `max_range_m`, metres. A microphone on a pole hears a Shahed-class engine over "a
/// few km" (`reference/field-facts.md`; the format's example node declares 3 km).
/// Without any reach one node's bearings cannot start or place a track (the tracker
/// needs two nodes at once); a reach that is off by a fifth costs little: on
/// `acoustic-inland` (true reach 2.5 km) declaring 3 km raised mean GOSPA from 655 /
/// 912 m to 796 / 999 m on two seeds, declaring none gave 1,550-1,620 m
/// (`bench/RESULTS.md`).
pub const DEFAULT_ACOUSTIC_REACH_M: f64 = 3000.0;

/// A fixed sensor in `scenario.json`. The `max_range_m`.. fields are optional hints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensorSpec {
    pub id: String,
    pub kind: SensorKind,
    pub lat: f64,
    pub lon: f64,
    pub alt_m: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_range_m: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan_period_s: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd_range_m: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd_az_deg: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd_el_deg: Option<f64>,
}

impl SensorSpec {
    pub fn position(&self) -> Geodetic {
        Geodetic::new(self.lat, self.lon, self.alt_m)
    }

    /// How far the sensor hears a small drone, for its bearings: the declared
    /// `max_range_m`, or for an acoustic node that declares none
    /// [`DEFAULT_ACOUSTIC_REACH_M`]. Other bearing sensors without a declared range
    /// have no reach (their rays run to the horizon).
    ///
    /// # Units
    /// Metres.
    pub fn reach_m(&self) -> Option<f64> {
        self.max_range_m.or(match self.kind {
            SensorKind::Acoustic => Some(DEFAULT_ACOUSTIC_REACH_M),
            _ => None,
        })
    }
}

/// One line of `reports.jsonl`, flat as on the wire. Which optional fields are required
/// depends on `kind`; [`WireReport::check`] and [`WireReport::to_model`] enforce it.
///
/// Why flat and not a tagged enum: one pass of serde over a flat struct is the fastest
/// way through a multi-gigabyte file, and checking per kind afterwards lets the error
/// name the exact missing field.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct WireReport {
    pub t: f64,
    pub rx: f64,
    pub sensor: String,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range_m: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub az_deg: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub el_deg: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd_range_m: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd_az_deg: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd_el_deg: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_lat: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_lon: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_alt_m: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icao: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt_m: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd_h_m: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd_v_m: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vn: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ve: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vu: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callsign: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snr_db: Option<f64>,
}

fn need(kind: &'static str, field: &'static str, v: Option<f64>) -> Result<f64, LineError> {
    v.ok_or(LineError::Missing { kind, field })
}

fn in_range(field: &'static str, v: f64, lo: f64, hi: f64) -> Result<f64, LineError> {
    if !v.is_finite() {
        return Err(LineError::NotFinite { field });
    }
    if v < lo || v > hi {
        return Err(LineError::OutOfRange {
            field,
            value: v,
            lo,
            hi,
        });
    }
    Ok(v)
}

fn opt_in_range(
    field: &'static str,
    v: Option<f64>,
    lo: f64,
    hi: f64,
) -> Result<Option<f64>, LineError> {
    v.map(|v| in_range(field, v, lo, hi)).transpose()
}

fn check_lat_lon_alt(lat: f64, lon: f64, alt: f64) -> Result<(), LineError> {
    in_range("lat", lat, -90.0, 90.0)?;
    in_range("lon", lon, -180.0, 180.0)?;
    in_range("alt_m", alt, -1000.0, 1e5)?;
    Ok(())
}

fn parse_icao(s: &str) -> Result<u32, LineError> {
    if s.len() != 6 {
        return Err(LineError::BadIcao(s.to_string()));
    }
    u32::from_str_radix(s, 16).map_err(|_| LineError::BadIcao(s.to_string()))
}

/// `71BE01`-style rendering of a 24-bit ICAO address.
pub fn format_icao(icao: u32) -> String {
    format!("{icao:06X}")
}

const MAX_SD: f64 = 1e6;

impl WireReport {
    /// Checks this record against the spec without needing the sensor table.
    pub fn check(&self) -> Result<(), LineError> {
        in_range("t", self.t, -1e12, 1e12)?;
        in_range("rx", self.rx, -1e12, 1e12)?;
        // Tolerate rounding of the two times to the file's precision.
        if self.rx < self.t - 1e-6 {
            return Err(LineError::RxBeforeT {
                t: self.t,
                rx: self.rx,
            });
        }
        if let Some(c) = &self.class {
            Class::parse(c).ok_or_else(|| LineError::BadEnum {
                field: "class",
                value: c.clone(),
                allowed: "drone, aircraft, bird, unknown",
            })?;
        }
        match self.kind.as_str() {
            "radar" => {
                in_range("range_m", need("radar", "range_m", self.range_m)?, 0.0, 1e7)?;
                in_range("az_deg", need("radar", "az_deg", self.az_deg)?, 0.0, 360.0)?;
                in_range(
                    "sd_range_m",
                    need("radar", "sd_range_m", self.sd_range_m)?,
                    0.0,
                    MAX_SD,
                )?;
                in_range(
                    "sd_az_deg",
                    need("radar", "sd_az_deg", self.sd_az_deg)?,
                    0.0,
                    360.0,
                )?;
                opt_in_range("el_deg", self.el_deg, -90.0, 90.0)?;
                opt_in_range("sd_el_deg", self.sd_el_deg, 0.0, 180.0)?;
            }
            "bearing" => {
                in_range(
                    "az_deg",
                    need("bearing", "az_deg", self.az_deg)?,
                    0.0,
                    360.0,
                )?;
                in_range(
                    "sd_az_deg",
                    need("bearing", "sd_az_deg", self.sd_az_deg)?,
                    0.0,
                    360.0,
                )?;
                opt_in_range("el_deg", self.el_deg, -90.0, 90.0)?;
                opt_in_range("sd_el_deg", self.sd_el_deg, 0.0, 180.0)?;
                if let Some(lat) = self.from_lat {
                    let lon = need("bearing", "from_lon", self.from_lon)?;
                    check_lat_lon_alt(lat, lon, self.from_alt_m.unwrap_or(0.0))?;
                }
            }
            "position" => {
                check_lat_lon_alt(
                    need("position", "lat", self.lat)?,
                    need("position", "lon", self.lon)?,
                    need("position", "alt_m", self.alt_m)?,
                )?;
                in_range(
                    "sd_h_m",
                    need("position", "sd_h_m", self.sd_h_m)?,
                    0.0,
                    MAX_SD,
                )?;
                in_range(
                    "sd_v_m",
                    need("position", "sd_v_m", self.sd_v_m)?,
                    0.0,
                    MAX_SD,
                )?;
            }
            "adsb" => {
                parse_icao(self.icao.as_deref().ok_or(LineError::Missing {
                    kind: "adsb",
                    field: "icao",
                })?)?;
                check_lat_lon_alt(
                    need("adsb", "lat", self.lat)?,
                    need("adsb", "lon", self.lon)?,
                    need("adsb", "alt_m", self.alt_m)?,
                )?;
                opt_in_range("vn", self.vn, -1e4, 1e4)?;
                opt_in_range("ve", self.ve, -1e4, 1e4)?;
                opt_in_range("vu", self.vu, -1e4, 1e4)?;
            }
            other => return Err(LineError::UnknownKind(other.to_string())),
        }
        Ok(())
    }

    /// Converts to a domain report, resolving sensor positions from `sensors`.
    pub fn to_model(&self, sensors: &SensorTable) -> Result<Report, LineError> {
        self.check()?;
        let sensor = || {
            sensors
                .get(&self.sensor)
                .ok_or_else(|| LineError::UnknownSensor(self.sensor.clone()))
        };
        let measurement = match self.kind.as_str() {
            "radar" => Measurement::Radar(RadarPlot {
                sensor_pos: sensor()?.position(),
                range_m: self.range_m.unwrap_or_default(),
                az_deg: self.az_deg.unwrap_or_default(),
                sd_range_m: self.sd_range_m.unwrap_or_default(),
                sd_az_deg: self.sd_az_deg.unwrap_or_default(),
                el_deg: self.el_deg,
                sd_el_deg: self.sd_el_deg.or(self.el_deg.map(|_| 1.0)),
            }),
            "bearing" => {
                let (from, mobile, reach_m) = match (self.from_lat, self.from_lon) {
                    (Some(lat), Some(lon)) => (
                        Geodetic::new(lat, lon, self.from_alt_m.unwrap_or(0.0)),
                        true,
                        None,
                    ),
                    _ => {
                        let s = sensor()?;
                        (s.position(), false, s.reach_m())
                    }
                };
                Measurement::Bearing(BearingObs {
                    from,
                    mobile,
                    az_deg: self.az_deg.unwrap_or_default(),
                    sd_az_deg: self.sd_az_deg.unwrap_or_default(),
                    el_deg: self.el_deg,
                    sd_el_deg: self.sd_el_deg.or(self.el_deg.map(|_| 10.0)),
                    reach_m,
                })
            }
            "position" => Measurement::Position(PositionFix {
                pos: Geodetic::new(
                    self.lat.unwrap_or_default(),
                    self.lon.unwrap_or_default(),
                    self.alt_m.unwrap_or_default(),
                ),
                sd_h_m: self.sd_h_m.unwrap_or_default(),
                sd_v_m: self.sd_v_m.unwrap_or_default(),
            }),
            "adsb" => Measurement::Adsb(AdsbMsg {
                icao: parse_icao(self.icao.as_deref().unwrap_or_default())?,
                callsign: self.callsign.as_deref().map(|c| Arc::from(c.trim())),
                pos: Geodetic::new(
                    self.lat.unwrap_or_default(),
                    self.lon.unwrap_or_default(),
                    self.alt_m.unwrap_or_default(),
                ),
                vel: match (self.vn, self.ve) {
                    (Some(vn), Some(ve)) => Some(Velocity {
                        vn,
                        ve,
                        vu: self.vu.unwrap_or(0.0),
                    }),
                    _ => None,
                },
                receiver: sensors.get(&self.sensor).map(|s| s.position()),
            }),
            other => return Err(LineError::UnknownKind(other.to_string())),
        };
        let sensor = sensors
            .id(&self.sensor)
            .cloned()
            .unwrap_or_else(|| SensorId::new(&self.sensor));
        Ok(Report {
            t: self.t,
            rx: self.rx,
            sensor,
            class_hint: self.class.as_deref().and_then(Class::parse),
            snr_db: self.snr_db,
            measurement,
        })
    }

    /// The wire form of a domain report. Sensor positions of fixed sensors are not
    /// repeated (they live in `scenario.json`); a mobile bearing carries its own.
    pub fn from_model(r: &Report) -> WireReport {
        let mut w = WireReport {
            t: r.t,
            rx: r.rx,
            sensor: r.sensor.as_str().to_string(),
            class: r.class_hint.map(|c| c.as_str().to_string()),
            snr_db: r.snr_db,
            ..WireReport::default()
        };
        match &r.measurement {
            Measurement::Radar(p) => {
                w.kind = "radar".into();
                w.range_m = Some(p.range_m);
                w.az_deg = Some(p.az_deg);
                w.sd_range_m = Some(p.sd_range_m);
                w.sd_az_deg = Some(p.sd_az_deg);
                w.el_deg = p.el_deg;
                w.sd_el_deg = p.el_deg.and(p.sd_el_deg);
            }
            Measurement::Bearing(b) => {
                w.kind = "bearing".into();
                w.az_deg = Some(b.az_deg);
                w.sd_az_deg = Some(b.sd_az_deg);
                w.el_deg = b.el_deg;
                w.sd_el_deg = b.el_deg.and(b.sd_el_deg);
                if b.mobile {
                    w.from_lat = Some(b.from.lat_deg);
                    w.from_lon = Some(b.from.lon_deg);
                    w.from_alt_m = Some(b.from.alt_m);
                }
            }
            Measurement::Position(p) => {
                w.kind = "position".into();
                w.lat = Some(p.pos.lat_deg);
                w.lon = Some(p.pos.lon_deg);
                w.alt_m = Some(p.pos.alt_m);
                w.sd_h_m = Some(p.sd_h_m);
                w.sd_v_m = Some(p.sd_v_m);
            }
            Measurement::Adsb(a) => {
                w.kind = "adsb".into();
                w.icao = Some(format_icao(a.icao));
                w.lat = Some(a.pos.lat_deg);
                w.lon = Some(a.pos.lon_deg);
                w.alt_m = Some(a.pos.alt_m);
                if let Some(v) = a.vel {
                    w.vn = Some(v.vn);
                    w.ve = Some(v.ve);
                    w.vu = Some(v.vu);
                }
                w.callsign = a.callsign.as_deref().map(str::to_string);
            }
        }
        w
    }
}

/// One line of `truth.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthRecord {
    pub t: f64,
    pub id: String,
    pub class: String,
    pub lat: f64,
    pub lon: f64,
    pub alt_m: f64,
    pub vn: f64,
    pub ve: f64,
    pub vu: f64,
}

impl TruthRecord {
    pub fn to_model(&self) -> Result<TruthSample, LineError> {
        check_lat_lon_alt(self.lat, self.lon, self.alt_m)?;
        let class = TruthClass::parse(&self.class).ok_or_else(|| LineError::BadEnum {
            field: "class",
            value: self.class.clone(),
            allowed: "drone, decoy, aircraft, bird",
        })?;
        Ok(TruthSample {
            t: self.t,
            id: Arc::from(self.id.as_str()),
            class,
            pos: Geodetic::new(self.lat, self.lon, self.alt_m),
            vel: Velocity {
                vn: self.vn,
                ve: self.ve,
                vu: self.vu,
            },
        })
    }

    pub fn from_model(s: &TruthSample) -> TruthRecord {
        TruthRecord {
            t: s.t,
            id: s.id.to_string(),
            class: s.class.as_str().to_string(),
            lat: s.pos.lat_deg,
            lon: s.pos.lon_deg,
            alt_m: s.pos.alt_m,
            vn: s.vel.vn,
            ve: s.vel.ve,
            vu: s.vel.vu,
        }
    }
}

/// One line of `labels.jsonl`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelRecord {
    pub truth: Option<String>,
}

/// Accepts a track or truth id written either as a JSON string or as a number.
fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        S(String),
        I(i64),
        U(u64),
        F(f64),
    }
    Ok(match Id::deserialize(d)? {
        Id::S(s) => s,
        Id::I(i) => i.to_string(),
        Id::U(u) => u.to_string(),
        Id::F(f) => f.to_string(),
    })
}

fn vec_string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    struct W(#[serde(deserialize_with = "string_or_number")] String);
    let v: Option<Vec<W>> = Option::deserialize(d)?;
    Ok(v.map(|v| v.into_iter().map(|w| w.0).collect()))
}

/// One line of `tracks.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackRecord {
    pub t: f64,
    #[serde(deserialize_with = "string_or_number")]
    pub id: String,
    pub lat: f64,
    pub lon: f64,
    pub alt_m: f64,
    #[serde(default)]
    pub vn: f64,
    #[serde(default)]
    pub ve: f64,
    #[serde(default)]
    pub vu: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cov_h_m: Option<f64>,
    /// Extension: the tracker's confidence in `class`, 0 to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_p: Option<f64>,
    /// Extension: ICAO address of a cooperative aircraft.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icao: Option<String>,
    /// Extension: callsign of a cooperative aircraft.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callsign: Option<String>,
}

fn round_to(x: f64, digits: i32) -> f64 {
    let k = 10f64.powi(digits);
    (x * k).round() / k
}

impl TrackRecord {
    /// The wire form of a track estimate, rounded to what the numbers mean (0.1 mm in
    /// position, 1 cm/s in velocity) so that files stay small and diffable.
    pub fn from_model(e: &TrackEstimate) -> TrackRecord {
        TrackRecord {
            t: e.t,
            id: e.id.to_string(),
            lat: round_to(e.pos.lat_deg, 9),
            lon: round_to(e.pos.lon_deg, 9),
            alt_m: round_to(e.pos.alt_m, 2),
            vn: round_to(e.vel.vn, 2),
            ve: round_to(e.vel.ve, 2),
            vu: round_to(e.vel.vu, 2),
            class: Some(e.class.as_str().to_string()),
            cov_h_m: e.cov_h_m.map(|c| round_to(c, 1)),
            class_p: Some(round_to(e.class_confidence, 3)),
            icao: e.icao.map(format_icao),
            callsign: e.callsign.as_deref().map(str::to_string),
        }
    }

    pub fn position(&self) -> Geodetic {
        Geodetic::new(self.lat, self.lon, self.alt_m)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AlertState {
    On,
    Off,
}

/// One line of `alerts.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertRecord {
    pub t: f64,
    pub area: String,
    pub state: AlertState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eta_s: Option<f64>,
    #[serde(
        default,
        alias = "tracks",
        skip_serializing_if = "Option::is_none",
        deserialize_with = "vec_string_or_number"
    )]
    pub track: Option<Vec<String>>,
}

impl AlertRecord {
    pub fn from_model(a: &AlertChange) -> AlertRecord {
        AlertRecord {
            t: a.t,
            area: a.area.to_string(),
            state: if a.on {
                AlertState::On
            } else {
                AlertState::Off
            },
            eta_s: a.eta_s.map(|e| round_to(e, 1)),
            track: if a.tracks.is_empty() {
                None
            } else {
                Some(a.tracks.iter().map(u64::to_string).collect())
            },
        }
    }
}
