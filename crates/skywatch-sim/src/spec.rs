//! The simulation spec: typed, serde-deserialisable from TOML. Every field has a unit in
//! its name or its doc; defaults are the figures described in the crate docs.

use serde::Deserialize;

use crate::SimError;

/// A latitude/longitude pair.
///
/// # Units
/// Degrees `[lat, lon]`.
pub type LatLon = [f64; 2];

/// A waypoint `[lat, lon, alt_m]`.
///
/// # Units
/// Degrees, degrees, metres above the WGS84 ellipsoid.
pub type Waypoint = [f64; 3];

/// A whole scenario to simulate.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Name written to `scenario.json`.
    pub name: String,
    /// RFC 3339 UTC instant of `t = 0`.
    pub epoch: String,
    /// Length of the scenario, seconds.
    pub duration_s: f64,
    /// Seed used when the caller gives none.
    #[serde(default)]
    pub seed: u64,
    /// Origin of the scoring frame; defaults to the mean of the fixed sensors.
    #[serde(default)]
    pub centre: Option<LatLon>,
    /// Warning areas to write as `areas.geojson`.
    #[serde(default)]
    pub areas: Option<AreasChoice>,
    /// Individually routed drones and decoys.
    #[serde(default)]
    pub drones: Vec<DroneSpec>,
    /// Waves of drones and decoys.
    #[serde(default)]
    pub waves: Vec<WaveSpec>,
    /// Civil air traffic with ADS-B.
    #[serde(default)]
    pub traffic: Option<TrafficSpec>,
    /// Flocks of birds (radar clutter).
    #[serde(default)]
    pub birds: Vec<FlockSpec>,
    #[serde(default)]
    pub radars: Vec<RadarSpec>,
    #[serde(default)]
    pub acoustic: Option<AcousticSpec>,
    #[serde(default)]
    pub observers: Option<ObserverSpec>,
    #[serde(default)]
    pub adsb: Vec<AdsbReceiverSpec>,
}

/// Which warning areas to ship with the scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum AreasChoice {
    /// The embedded South Korean municipalities (`skywatch-areas`).
    #[serde(rename = "kr-municipalities")]
    KrMunicipalities,
}

/// What a routed object really is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ThreatClass {
    #[default]
    Drone,
    Decoy,
}

/// One drone or decoy on a waypoint route.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DroneSpec {
    pub id: String,
    #[serde(default)]
    pub class: ThreatClass,
    /// Launch time, seconds (may be negative: already flying at `t = 0`).
    #[serde(default)]
    pub start_s: f64,
    /// Nominal airspeed, m/s.
    #[serde(default = "default_drone_speed")]
    pub speed_mps: f64,
    /// Route from launch to the end (impact or exit); at least two points.
    pub route: Vec<Waypoint>,
}

/// A wave: many drones from a few launch points, staggered, towards targets.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaveSpec {
    /// Prefix of the object ids (`{id}-0001`).
    pub id: String,
    pub launch: Vec<LatLon>,
    pub targets: Vec<LatLon>,
    /// Number of objects, drones and decoys together.
    pub count: u32,
    /// Share of decoys, 0 to 1. Decoys fly exactly like drones.
    #[serde(default)]
    pub decoy_fraction: f64,
    /// First launch, seconds.
    #[serde(default)]
    pub start_s: f64,
    /// Time between launches at one launch point, seconds.
    #[serde(default = "default_launch_interval")]
    pub launch_interval_s: f64,
    /// Shared intermediate waypoints after launch (a corridor), optional.
    #[serde(default)]
    pub via: Vec<LatLon>,
    /// Lateral scatter of each object's copy of the `via` points and of its aim point
    /// around the target, metres (0 = everyone flies the same line).
    #[serde(default = "default_fan")]
    pub fan_m: f64,
    /// Random dog-leg waypoints added between launch (or the corridor) and target.
    #[serde(default = "default_doglegs")]
    pub doglegs: u32,
    /// Cruise altitude range, metres.
    #[serde(default = "default_wave_alt")]
    pub alt_m: [f64; 2],
    /// Airspeed range, m/s.
    #[serde(default = "default_speed_range")]
    pub speed_mps: [f64; 2],
    /// Loitering munitions (Lancet, HAROP class): circle near the aim point before
    /// the dive. None = fly straight to it (Shahed class).
    #[serde(default)]
    pub loiter: Option<LoiterSpec>,
}

/// Circling before the dive: each object flies `laps` orbits of a circle of
/// `radius_m` whose centre is its aim point, entering it where it arrives, then dives
/// on the aim point. Ranges are drawn per object.
///
/// # Units
/// Metres; laps are whole or fractional orbits.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoiterSpec {
    pub radius_m: [f64; 2],
    pub laps: [f64; 2],
}

/// An airport with its movement rate.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AirportSpec {
    /// ICAO code, used in callsign-free logs only.
    pub code: String,
    pub lat: f64,
    pub lon: f64,
    /// Runway direction used for departures and arrivals, degrees from north.
    pub runway_deg: f64,
    /// Departures plus arrivals per hour.
    pub movements_per_hour: f64,
}

/// Civil traffic: departures climb from an airport to a gate, arrivals descend from a
/// gate to an airport; everybody broadcasts ADS-B unless `noncooperative_share` says
/// otherwise.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrafficSpec {
    pub airports: Vec<AirportSpec>,
    /// Points where flights enter or leave the simulated area.
    pub gates: Vec<LatLon>,
    /// Cruise altitude range, metres.
    #[serde(default = "default_cruise_alt")]
    pub cruise_alt_m: [f64; 2],
    /// Overflights per hour (gate to gate at cruise).
    #[serde(default)]
    pub overflights_per_hour: f64,
    /// Share of the flights that broadcast no ADS-B (military and state aircraft,
    /// transponders off or without ADS-B out), 0 to 1: the confounder for any evidence
    /// that a track is no aircraft because no receiver hears it. Drawn per flight from
    /// its own stream, so 0 (the default) leaves every other draw as it was.
    #[serde(default)]
    pub noncooperative_share: f64,
}

/// A flock region: birds meander slowly and low around a centre.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlockSpec {
    pub centre: LatLon,
    /// Radius the birds stay within, metres.
    #[serde(default = "default_flock_radius")]
    pub radius_m: f64,
    pub count: u32,
    /// Speed range, m/s.
    #[serde(default = "default_bird_speed")]
    pub speed_mps: [f64; 2],
    /// Altitude range, metres.
    #[serde(default = "default_bird_alt")]
    pub alt_m: [f64; 2],
}

/// Network delay from measurement to arrival: `rx = t + base_s + U(0, jitter_s)`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatencySpec {
    /// Seconds.
    pub base_s: f64,
    /// Seconds.
    pub jitter_s: f64,
}

/// A scanning surveillance radar.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RadarSpec {
    pub id: String,
    pub lat: f64,
    pub lon: f64,
    /// Antenna height, metres (also used as height above the surface for the horizon).
    pub alt_m: f64,
    /// Instrumented range, metres.
    pub max_range_m: f64,
    /// One antenna revolution, seconds.
    #[serde(default = "default_scan")]
    pub scan_period_s: f64,
    #[serde(default = "default_sd_range")]
    pub sd_range_m: f64,
    #[serde(default = "default_sd_az_radar")]
    pub sd_az_deg: f64,
    /// Elevation noise; absent for a 2D radar (no elevation in its plots).
    #[serde(default)]
    pub sd_el_deg: Option<f64>,
    /// Range at which a 1 m² Swerling-1 target is detected with probability 0.5,
    /// metres. Detection probability then follows the radar equation (SNR ∝ σ/R⁴).
    #[serde(default = "default_r50")]
    pub r50_1m2_m: f64,
    /// Mean false plots per scan over the whole coverage (Poisson).
    #[serde(default = "default_clutter")]
    pub clutter_per_scan: f64,
    #[serde(default = "default_radar_latency")]
    pub latency: LatencySpec,
    /// Times the radar is down (failure, maintenance, jamming): `[[from_s, to_s], ...]`,
    /// seconds from the start. It sends nothing then, neither plots nor clutter.
    #[serde(default)]
    pub outages: Vec<[f64; 2]>,
}

impl RadarSpec {
    /// True if the radar is down during the second starting at `t`.
    pub fn down(&self, t: f64) -> bool {
        self.outages.iter().any(|o| (o[0]..o[1]).contains(&t))
    }
}

/// A rectangular grid of acoustic nodes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GridSpec {
    /// `[south, north]` degrees.
    pub lat: [f64; 2],
    /// `[west, east]` degrees.
    pub lon: [f64; 2],
    /// Node spacing, metres.
    pub spacing_m: f64,
    /// Random displacement of each node from its grid point, metres.
    #[serde(default = "default_grid_jitter")]
    pub jitter_m: f64,
    /// Keep only nodes on land (inside a Korean municipality).
    #[serde(default = "default_true")]
    pub land_only: bool,
}

/// The acoustic network: node placement and the node model.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcousticSpec {
    #[serde(default)]
    pub grids: Vec<GridSpec>,
    /// Extra individual nodes `[lat, lon]`.
    #[serde(default)]
    pub nodes: Vec<LatLon>,
    /// Detection radius for a drone (slant range), metres. Louder aircraft are heard
    /// `aircraft_range_factor` times farther.
    #[serde(default = "default_acoustic_range")]
    pub range_m: f64,
    #[serde(default = "default_aircraft_factor")]
    pub aircraft_range_factor: f64,
    /// Detection probability per second at close range.
    #[serde(default = "default_acoustic_pd")]
    pub pd: f64,
    /// Range of per-node bearing noise, degrees (each node draws its own).
    #[serde(default = "default_acoustic_sd")]
    pub sd_az_deg: [f64; 2],
    /// Elevation noise, degrees.
    #[serde(default = "default_acoustic_sd_el")]
    pub sd_el_deg: f64,
    /// False bearings per node per hour (Poisson).
    #[serde(default = "default_false_rate")]
    pub false_per_hour: f64,
    /// Share of nodes that are dead for the whole scenario.
    #[serde(default = "default_p_dead")]
    pub p_dead: f64,
    /// Mean time a live node stays up between dropouts, seconds.
    #[serde(default = "default_mean_up")]
    pub mean_up_s: f64,
    /// Mean length of a dropout, seconds.
    #[serde(default = "default_mean_down")]
    pub mean_down_s: f64,
    /// Share of reports delayed by `late_s` on top of the network latency.
    #[serde(default = "default_p_late")]
    pub p_late: f64,
    #[serde(default = "default_late")]
    pub late_s: [f64; 2],
    #[serde(default = "default_acoustic_latency")]
    pub latency: LatencySpec,
}

/// People pointing phones at what they see or hear.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObserverSpec {
    /// Reports per minute about one drone or decoy flying over land.
    #[serde(default = "default_obs_rate")]
    pub rate_per_min: f64,
    /// Reports per minute about one aircraft below 3 km over land (often mistaken).
    #[serde(default = "default_obs_aircraft_rate")]
    pub aircraft_rate_per_min: f64,
    /// Observers stand within this ground distance of the object, metres.
    #[serde(default = "default_obs_radius")]
    pub radius_m: f64,
    /// Range of pointing error, degrees.
    #[serde(default = "default_obs_sd")]
    pub sd_az_deg: [f64; 2],
    /// Range of delay from seeing to the report arriving, seconds.
    #[serde(default = "default_obs_delay")]
    pub delay_s: [f64; 2],
    /// Share of drone reports whose class hint says `drone` (the rest `unknown`, some
    /// `aircraft`).
    #[serde(default = "default_obs_class")]
    pub p_class_correct: f64,
    /// Fake or mistaken reports with nothing there, per hour over `fake_region`.
    #[serde(default)]
    pub fake_per_hour: f64,
    /// `[[south, west], [north, east]]` of fake reports; defaults to the bounding box of
    /// the scenario's fixed sensors (radars, ADS-B receivers, acoustic grids and nodes).
    /// With one fixed sensor that box is a point and every fake comes from it, as in
    /// `west-phones`: a crowd or one prankster with many phones, which the tracker must
    /// not triangulate (`reporters.min_baseline_m`).
    #[serde(default)]
    pub fake_region: Option<[LatLon; 2]>,
    /// Keep only reports whose observer stands on land.
    #[serde(default = "default_true")]
    pub land_only: bool,
}

/// An ADS-B ground receiver.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdsbReceiverSpec {
    pub id: String,
    pub lat: f64,
    pub lon: f64,
    pub alt_m: f64,
    /// Metres.
    #[serde(default = "default_adsb_range")]
    pub max_range_m: f64,
    /// Share of messages lost.
    #[serde(default = "default_adsb_loss")]
    pub p_loss: f64,
    /// Position error of the broadcast (NACp), metres one sigma per axis.
    #[serde(default = "default_adsb_sd")]
    pub sd_pos_m: f64,
    #[serde(default = "default_adsb_latency")]
    pub latency: LatencySpec,
}

fn default_true() -> bool {
    true
}
fn default_drone_speed() -> f64 {
    48.0
}
fn default_launch_interval() -> f64 {
    30.0
}
fn default_fan() -> f64 {
    8000.0
}
fn default_doglegs() -> u32 {
    1
}
fn default_wave_alt() -> [f64; 2] {
    [80.0, 1500.0]
}
fn default_speed_range() -> [f64; 2] {
    [42.0, 55.0]
}
fn default_cruise_alt() -> [f64; 2] {
    [7000.0, 11000.0]
}
fn default_flock_radius() -> f64 {
    3000.0
}
fn default_bird_speed() -> [f64; 2] {
    [8.0, 20.0]
}
fn default_bird_alt() -> [f64; 2] {
    [20.0, 300.0]
}
fn default_scan() -> f64 {
    4.0
}
fn default_sd_range() -> f64 {
    30.0
}
fn default_sd_az_radar() -> f64 {
    0.3
}
fn default_r50() -> f64 {
    80_000.0
}
fn default_clutter() -> f64 {
    2.0
}
fn default_radar_latency() -> LatencySpec {
    LatencySpec {
        base_s: 0.2,
        jitter_s: 0.4,
    }
}
fn default_grid_jitter() -> f64 {
    400.0
}
fn default_acoustic_range() -> f64 {
    2500.0
}
fn default_aircraft_factor() -> f64 {
    2.0
}
fn default_acoustic_pd() -> f64 {
    0.85
}
fn default_acoustic_sd() -> [f64; 2] {
    [3.0, 5.0]
}
fn default_acoustic_sd_el() -> f64 {
    8.0
}
fn default_false_rate() -> f64 {
    1.0
}
fn default_p_dead() -> f64 {
    0.03
}
fn default_mean_up() -> f64 {
    3600.0
}
fn default_mean_down() -> f64 {
    300.0
}
fn default_p_late() -> f64 {
    0.05
}
fn default_late() -> [f64; 2] {
    [2.0, 6.0]
}
fn default_acoustic_latency() -> LatencySpec {
    LatencySpec {
        base_s: 0.3,
        jitter_s: 0.5,
    }
}
fn default_obs_rate() -> f64 {
    0.5
}
fn default_obs_aircraft_rate() -> f64 {
    0.02
}
fn default_obs_radius() -> f64 {
    2000.0
}
fn default_obs_sd() -> [f64; 2] {
    [10.0, 30.0]
}
fn default_obs_delay() -> [f64; 2] {
    [5.0, 60.0]
}
fn default_obs_class() -> f64 {
    0.75
}
fn default_adsb_range() -> f64 {
    250_000.0
}
fn default_adsb_loss() -> f64 {
    0.05
}
fn default_adsb_sd() -> f64 {
    8.0
}
fn default_adsb_latency() -> LatencySpec {
    LatencySpec {
        base_s: 0.05,
        jitter_s: 0.4,
    }
}

impl Spec {
    /// Parses and checks a spec from TOML text.
    pub fn from_toml(text: &str) -> Result<Spec, SimError> {
        let spec: Spec = toml::from_str(text).map_err(|e| SimError::Spec(Box::new(e)))?;
        spec.check()?;
        Ok(spec)
    }

    /// Checks what serde cannot: ranges, non-empty routes, unique ids.
    pub fn check(&self) -> Result<(), SimError> {
        let bad = |what: String| Err(SimError::Invalid(what));
        if !(self.duration_s.is_finite() && self.duration_s > 0.0 && self.duration_s <= 86_400.0) {
            return bad(format!(
                "duration_s = {} must be in (0, 86400]",
                self.duration_s
            ));
        }
        let mut ids = std::collections::HashSet::new();
        for d in &self.drones {
            if d.route.len() < 2 {
                return bad(format!("drone {:?}: route needs at least two points", d.id));
            }
            if !(d.speed_mps > 1.0 && d.speed_mps < 400.0) {
                return bad(format!("drone {:?}: speed_mps out of range", d.id));
            }
            for w in &d.route {
                check_point(w[0], w[1])
                    .map_err(|e| SimError::Invalid(format!("drone {:?}: {e}", d.id)))?;
            }
            if !ids.insert(d.id.clone()) {
                return bad(format!("object id {:?} used twice", d.id));
            }
        }
        for w in &self.waves {
            if w.launch.is_empty() || w.targets.is_empty() {
                return bad(format!("wave {:?}: needs launch points and targets", w.id));
            }
            if !(0.0..=1.0).contains(&w.decoy_fraction) {
                return bad(format!("wave {:?}: decoy_fraction must be in [0, 1]", w.id));
            }
            if w.speed_mps[0] <= 1.0 || w.speed_mps[1] < w.speed_mps[0] {
                return bad(format!("wave {:?}: bad speed_mps range", w.id));
            }
            if w.alt_m[1] < w.alt_m[0] {
                return bad(format!("wave {:?}: bad alt_m range", w.id));
            }
            if let Some(l) = &w.loiter
                && !(l.radius_m[0] >= 200.0
                    && l.radius_m[1] >= l.radius_m[0]
                    && l.radius_m[1] <= 20_000.0
                    && l.laps[0] >= 0.0
                    && l.laps[1] >= l.laps[0]
                    && l.laps[1] <= 50.0)
            {
                return bad(format!(
                    "wave {:?}: loiter needs radius_m within [200, 20000] and laps within [0, 50], each [min, max]",
                    w.id
                ));
            }
            if !ids.insert(w.id.clone()) {
                return bad(format!("wave id {:?} used twice", w.id));
            }
        }
        if let Some(t) = &self.traffic
            && (t.airports.is_empty() || t.gates.is_empty())
        {
            return bad("traffic: needs airports and gates".into());
        }
        if let Some(t) = &self.traffic
            && !(0.0..=1.0).contains(&t.noncooperative_share)
        {
            return bad(format!(
                "traffic: noncooperative_share = {} must be in [0, 1]",
                t.noncooperative_share
            ));
        }
        let mut sids = std::collections::HashSet::new();
        for r in &self.radars {
            if !(r.scan_period_s >= 0.5 && r.scan_period_s <= 30.0) {
                return bad(format!(
                    "radar {:?}: scan_period_s must be in [0.5, 30]",
                    r.id
                ));
            }
            if !(r.max_range_m > 0.0 && r.r50_1m2_m > 0.0) {
                return bad(format!("radar {:?}: ranges must be positive", r.id));
            }
            if let Some(o) = r.outages.iter().find(|o| !(o[0] >= 0.0 && o[1] > o[0])) {
                return bad(format!(
                    "radar {:?}: outage {o:?} must be [from_s, to_s] with 0 <= from_s < to_s",
                    r.id
                ));
            }
            check_point(r.lat, r.lon)
                .map_err(|e| SimError::Invalid(format!("radar {:?}: {e}", r.id)))?;
            if !sids.insert(r.id.clone()) {
                return bad(format!("sensor id {:?} used twice", r.id));
            }
        }
        for a in &self.adsb {
            check_point(a.lat, a.lon)
                .map_err(|e| SimError::Invalid(format!("adsb {:?}: {e}", a.id)))?;
            if !sids.insert(a.id.clone()) {
                return bad(format!("sensor id {:?} used twice", a.id));
            }
        }
        if let Some(a) = &self.acoustic {
            for g in &a.grids {
                if g.spacing_m.is_nan() || g.spacing_m < 100.0 {
                    return bad("acoustic grid: spacing_m must be at least 100".into());
                }
            }
            if !(a.range_m > 0.0 && (0.0..=1.0).contains(&a.pd)) {
                return bad("acoustic: range_m must be positive and pd in [0, 1]".into());
            }
        }
        if let Some(o) = &self.observers
            && (o.delay_s[0] < 0.0 || o.delay_s[1] < o.delay_s[0])
        {
            return bad("observers: bad delay_s range".into());
        }
        Ok(())
    }
}

fn check_point(lat: f64, lon: f64) -> Result<(), String> {
    if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) {
        Ok(())
    } else {
        Err(format!("point ({lat}, {lon}) is not a latitude/longitude"))
    }
}
