//! Building the scene from a spec: objects with their routes, and the sensors.
//! Everything random here is drawn from setup streams keyed by stable ids.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rand::Rng;
use skywatch_areas::AreaSet;
use skywatch_geo::{Geodetic, LocalFrame};
use skywatch_model::TruthClass;

use crate::motion::{
    AdsbIdent, Dynamics, Guidance, SimObject, State, metres_per_degree, random_heading,
    state_towards,
};
use crate::rng::{Purpose, Streams, exponential, normal, poisson_times, stable_hash, uniform};
use crate::spec::{
    AcousticSpec, AdsbReceiverSpec, LatLon, RadarSpec, Spec, ThreatClass, TrafficSpec, WaveSpec,
};

/// Radar cross-sections, m² (orders of magnitude: small propeller drone ~0.1, decoys
/// often carry reflectors to look bigger, airliners tens of m², a bird ~0.01).
const RCS_DRONE: f64 = 0.1;
const RCS_DECOY: f64 = 0.3;
const RCS_AIRCRAFT: f64 = 20.0;
const RCS_BIRD: f64 = 0.01;
/// Height of acoustic microphones and phone observers above the ellipsoid, metres
/// (poles a few metres up; ground near sea level in the simulated theatre).
const NODE_ALT_M: f64 = 30.0;

/// Offsets a point by north/east metres.
///
/// # Units
/// Degrees and metres in, degrees out.
pub fn offset(p: LatLon, north_m: f64, east_m: f64) -> LatLon {
    let (mlat, mlon) = metres_per_degree(p[0]);
    [p[0] + north_m / mlat, p[1] + east_m / mlon]
}

fn destination(p: LatLon, az_deg: f64, dist_m: f64) -> LatLon {
    let g = Geodetic::new(p[0], p[1], 0.0).destination(az_deg, dist_m);
    [g.lat_deg, g.lon_deg]
}

fn routed(
    id: String,
    class: TruthClass,
    start_s: f64,
    route: Vec<[f64; 3]>,
    speed: f64,
    dyn_: Dynamics,
    streams: &Streams,
) -> SimObject {
    let key = stable_hash(&id);
    let state = state_towards(route[0], [route[1][0], route[1][1]], speed);
    let rcs = match class {
        TruthClass::Drone => RCS_DRONE,
        TruthClass::Decoy => RCS_DECOY,
        TruthClass::Aircraft => RCS_AIRCRAFT,
        TruthClass::Bird => RCS_BIRD,
    };
    let mut rng = streams.rng(Purpose::Object, key, 0, 0);
    // Aspect and airframe make RCS vary by a factor of a few between objects.
    let rcs_m2 = rcs * 2f64.powf(rng.gen_range(-1.0..1.0));
    SimObject {
        id: Arc::from(id.as_str()),
        key,
        class,
        start_step: start_s.round() as i64,
        rcs_m2,
        loudness: 1.0,
        adsb: None,
        state,
        guidance: Guidance::Route {
            wps: route[1..].to_vec(),
            idx: 0,
            nominal_speed: speed,
            dyn_,
            speed_dev: 0.0,
            alt_dev: 0.0,
        },
        rng,
        finished: false,
    }
}

/// Every object of the spec, in a fixed order (drones, waves, traffic, birds).
pub fn build_objects(spec: &Spec, streams: &Streams, aircraft_loudness: f64) -> Vec<SimObject> {
    let mut out = Vec::new();
    for d in &spec.drones {
        let class = match d.class {
            ThreatClass::Drone => TruthClass::Drone,
            ThreatClass::Decoy => TruthClass::Decoy,
        };
        out.push(routed(
            d.id.clone(),
            class,
            d.start_s,
            d.route.clone(),
            d.speed_mps,
            Dynamics::drone(),
            streams,
        ));
    }
    for w in &spec.waves {
        build_wave(w, streams, &mut out);
    }
    if let Some(t) = &spec.traffic {
        build_traffic(t, spec.duration_s, streams, aircraft_loudness, &mut out);
    }
    let mut n = 0;
    for (fi, f) in spec.birds.iter().enumerate() {
        for _ in 0..f.count {
            n += 1;
            let id = format!("BRD{n:04}");
            let key = stable_hash(&id);
            let mut rng = streams.rng(Purpose::Object, key, fi as u64, 1);
            let r = f.radius_m * rng.r#gen::<f64>().sqrt();
            let p = destination(f.centre, random_heading(&mut rng), r);
            let speed = uniform(&mut rng, f.speed_mps);
            let alt = uniform(&mut rng, f.alt_m);
            out.push(SimObject {
                id: Arc::from(id.as_str()),
                key,
                class: TruthClass::Bird,
                start_step: 0,
                rcs_m2: RCS_BIRD * 2f64.powf(rng.gen_range(-1.0..1.5)),
                loudness: 0.0,
                adsb: None,
                state: State {
                    lat: p[0],
                    lon: p[1],
                    alt,
                    heading_deg: random_heading(&mut rng),
                    speed,
                    vs: 0.0,
                    turn_dps: 0.0,
                },
                guidance: Guidance::Meander {
                    centre: f.centre,
                    radius_m: f.radius_m,
                    nominal_speed: speed,
                    nominal_alt: alt,
                    speed_dev: 0.0,
                    alt_dev: 0.0,
                },
                rng,
                finished: false,
            });
        }
    }
    out
}

fn build_wave(w: &WaveSpec, streams: &Streams, out: &mut Vec<SimObject>) {
    let wkey = stable_hash(&w.id);
    let nl = w.launch.len() as u32;
    for i in 0..w.count {
        let mut rng = streams.rng(Purpose::Wave, wkey, i as u64, 0);
        let launch = w.launch[(i % nl) as usize];
        let slot = (i / nl) as f64;
        let start =
            w.start_s + slot * w.launch_interval_s + rng.gen_range(0.0..0.3) * w.launch_interval_s;
        let class = if rng.r#gen::<f64>() < w.decoy_fraction {
            TruthClass::Decoy
        } else {
            TruthClass::Drone
        };
        let target = w.targets[rng.gen_range(0..w.targets.len())];
        let aim_sd = (w.fan_m / 4.0).min(2000.0);
        let aim = offset(target, normal(&mut rng, aim_sd), normal(&mut rng, aim_sd));
        let cruise = uniform(&mut rng, w.alt_m);
        let speed = uniform(&mut rng, w.speed_mps);
        let mut pts: Vec<LatLon> = vec![launch];
        for v in &w.via {
            pts.push(offset(
                *v,
                normal(&mut rng, w.fan_m / 2.0),
                normal(&mut rng, w.fan_m / 2.0),
            ));
        }
        // Dog-legs: route planners avoid straight lines to hide the target.
        let from = *pts.last().unwrap_or(&launch);
        let (leg, brg) = crate::motion::flat_dist_bearing(from[0], from[1], aim[0], aim[1]);
        for j in 1..=w.doglegs {
            let f = j as f64 / (w.doglegs + 1) as f64;
            let along = destination(from, brg, leg * f);
            let side = rng.gen_range(-0.2..0.2) * leg.min(150_000.0);
            pts.push(destination(along, brg + 90.0, side));
        }
        if let Some(l) = &w.loiter {
            // Orbit the aim point, entering the circle on the side the object comes
            // from, clockwise or not at random, eight waypoints a lap; then dive on it.
            let radius = uniform(&mut rng, l.radius_m);
            let laps = uniform(&mut rng, l.laps);
            let last = *pts.last().unwrap_or(&launch);
            let (_, back) = crate::motion::flat_dist_bearing(aim[0], aim[1], last[0], last[1]);
            let sense = if rng.r#gen::<bool>() { 1.0 } else { -1.0 };
            let steps = (laps * 8.0).round() as u32;
            for k in 0..=steps {
                let brg = back + sense * 45.0 * k as f64;
                pts.push(destination(aim, brg, radius));
            }
        }
        pts.push(aim);
        let n = pts.len();
        let route: Vec<[f64; 3]> = pts
            .iter()
            .enumerate()
            .map(|(k, p)| {
                let alt = if k == 0 {
                    50.0
                } else if k + 1 == n {
                    // The last leg dives; a drone ends where it ends.
                    60.0
                } else {
                    cruise
                };
                [p[0], p[1], alt]
            })
            .collect();
        out.push(routed(
            format!("{}-{:04}", w.id, i + 1),
            class,
            start,
            route,
            speed,
            Dynamics::drone(),
            streams,
        ));
    }
}

const AIRLINES: [&str; 12] = [
    "KAL", "AAR", "JJA", "JNA", "TWB", "ABL", "ESR", "CCA", "CES", "JAL", "ANA", "CPA",
];

fn build_traffic(
    t: &TrafficSpec,
    duration_s: f64,
    streams: &Streams,
    loudness: f64,
    out: &mut Vec<SimObject>,
) {
    // Movements start up to 40 minutes before t = 0 so that the sky is already busy.
    const PRE_ROLL_S: f64 = 2400.0;
    let mut rng = streams.rng(Purpose::Traffic, 0, 0, 0);
    let mut movements: Vec<(f64, usize, bool)> = Vec::new();
    for (ai, a) in t.airports.iter().enumerate() {
        let mut arng = streams.rng(Purpose::Traffic, stable_hash(&a.code), 1, 0);
        for s in poisson_times(
            &mut arng,
            a.movements_per_hour / 3600.0,
            duration_s + PRE_ROLL_S,
        ) {
            let departure = arng.r#gen::<bool>();
            movements.push((s - PRE_ROLL_S, ai, departure));
        }
    }
    let mut over = Vec::new();
    if t.gates.len() >= 2 {
        over = poisson_times(
            &mut rng,
            t.overflights_per_hour / 3600.0,
            duration_s + PRE_ROLL_S,
        );
    }
    let mut used_icao = HashSet::new();
    let mut n = 0usize;
    let mut push = |route: Vec<[f64; 3]>, start: f64, rng: &mut rand_chacha::ChaCha8Rng| {
        n += 1;
        let id = format!("AC{n:04}");
        let mut icao = 0x71_8000 + rng.gen_range(0..0x8000u32);
        while !used_icao.insert(icao) {
            icao = 0x71_8000 + rng.gen_range(0..0x8000u32);
        }
        let callsign = format!(
            "{}{}",
            AIRLINES[rng.gen_range(0..AIRLINES.len())],
            rng.gen_range(100..2000)
        );
        let speed = if route[0][2] > 3000.0 { 220.0 } else { 80.0 };
        let mut o = routed(
            id,
            TruthClass::Aircraft,
            start,
            route,
            speed,
            Dynamics::airliner(),
            streams,
        );
        o.loudness = loudness;
        o.adsb = Some(AdsbIdent {
            icao,
            callsign,
            phase: rng.r#gen::<f64>(),
        });
        // Dark flights still draw their identity above, and the draw for darkness comes
        // from its own stream: a share of 0 leaves every scenario byte for byte as it was.
        if t.noncooperative_share > 0.0
            && streams.rng(Purpose::Traffic, n as u64, 5, 0).r#gen::<f64>() < t.noncooperative_share
        {
            o.adsb = None;
        }
        out.push(o);
    };
    for (start, ai, departure) in movements {
        let a = &t.airports[ai];
        let ap = [a.lat, a.lon];
        let gate = t.gates[rng.gen_range(0..t.gates.len())];
        // Flight levels: whole thousands of feet.
        let cruise = (uniform(&mut rng, t.cruise_alt_m) / 304.8).round() * 304.8;
        let route = if departure {
            let climb = destination(ap, a.runway_deg, 8000.0);
            vec![
                [ap[0], ap[1], 30.0],
                [climb[0], climb[1], 1200.0],
                [gate[0], gate[1], cruise],
            ]
        } else {
            let (d, brg_to_gate) = crate::motion::flat_dist_bearing(ap[0], ap[1], gate[0], gate[1]);
            let mut r = vec![[gate[0], gate[1], cruise]];
            if d > 90_000.0 {
                let tod = destination(ap, brg_to_gate, 60_000.0);
                r.push([tod[0], tod[1], 3000.0]);
            }
            let faf = destination(ap, a.runway_deg + 180.0, 15_000.0);
            r.push([faf[0], faf[1], 900.0]);
            r.push([ap[0], ap[1], 30.0]);
            r
        };
        push(route, start, &mut rng);
    }
    for start in over {
        let s = start - PRE_ROLL_S;
        let i = rng.gen_range(0..t.gates.len());
        let mut j = rng.gen_range(0..t.gates.len() - 1);
        if j >= i {
            j += 1;
        }
        let cruise = (uniform(&mut rng, t.cruise_alt_m) / 304.8).round() * 304.8;
        let (a, b) = (t.gates[i], t.gates[j]);
        push(
            vec![[a[0], a[1], cruise], [b[0], b[1], cruise]],
            s,
            &mut rng,
        );
    }
}

/// A radar with its frame and antenna phase.
pub struct Radar {
    pub spec: RadarSpec,
    pub key: u64,
    pub pos: Geodetic,
    pub frame: LocalFrame,
    /// Azimuth of the beam at `t = 0`, degrees.
    pub phase_deg: f64,
}

impl Radar {
    /// A radar from its spec; the antenna's starting azimuth is random per radar id.
    pub fn new(spec: &RadarSpec, streams: &Streams) -> Radar {
        let key = stable_hash(&spec.id);
        let pos = Geodetic::new(spec.lat, spec.lon, spec.alt_m);
        let phase_deg = streams.rng(Purpose::Setup, key, 0, 0).gen_range(0.0..360.0);
        Radar {
            spec: spec.clone(),
            key,
            pos,
            frame: LocalFrame::new(pos),
            phase_deg,
        }
    }

    /// Unwrapped beam azimuth at `t`, degrees.
    pub fn beam_deg(&self, t: f64) -> f64 {
        self.phase_deg + 360.0 * t / self.spec.scan_period_s
    }
}

/// One acoustic node.
pub struct AcousticNode {
    pub id: String,
    pub key: u64,
    pub pos: Geodetic,
    pub frame: LocalFrame,
    pub sd_az_deg: f64,
    pub dead: bool,
    /// Sorted, disjoint offline intervals `[start, end)`, seconds.
    pub down: Vec<(f64, f64)>,
}

impl AcousticNode {
    /// Whether the node is dead or in a dropout at `t` (seconds).
    pub fn offline(&self, t: f64) -> bool {
        if self.dead {
            return true;
        }
        let i = self.down.partition_point(|iv| iv.0 <= t);
        i > 0 && t < self.down[i - 1].1
    }
}

/// The acoustic network with a grid index for range queries.
pub struct AcousticNet {
    pub spec: AcousticSpec,
    pub nodes: Vec<AcousticNode>,
    cell_m: f64,
    ref_m: (f64, f64),
    cells: HashMap<(i32, i32), Vec<u32>>,
    /// False-bearing events `(t, node index)`, sorted by time.
    pub false_events: Vec<(f64, u32)>,
}

impl AcousticNet {
    /// Lays out the nodes (grids, then individual nodes), draws each node's noise,
    /// death, dropouts and false-bearing times, and indexes the nodes on a grid.
    pub fn new(
        spec: &AcousticSpec,
        duration_s: f64,
        streams: &Streams,
        land: Option<&AreaSet>,
    ) -> AcousticNet {
        let mut positions: Vec<LatLon> = Vec::new();
        for (gi, g) in spec.grids.iter().enumerate() {
            let mut rng = streams.rng(Purpose::Setup, 0xacc, gi as u64, 0);
            let (mlat, _) = metres_per_degree(0.5 * (g.lat[0] + g.lat[1]));
            let dlat = g.spacing_m / mlat;
            let mut lat = g.lat[0];
            while lat <= g.lat[1] {
                let (_, mlon) = metres_per_degree(lat);
                let dlon = g.spacing_m / mlon;
                let mut lon = g.lon[0];
                while lon <= g.lon[1] {
                    let p = offset(
                        [lat, lon],
                        rng.gen_range(-1.0..=1.0) * g.jitter_m,
                        rng.gen_range(-1.0..=1.0) * g.jitter_m,
                    );
                    let on_land = match land {
                        Some(a) if g.land_only => a.containing(p[0], p[1]).next().is_some(),
                        _ => true,
                    };
                    if on_land {
                        positions.push(p);
                    }
                    lon += dlon;
                }
                lat += dlat;
            }
        }
        positions.extend(spec.nodes.iter().copied());
        let mut nodes = Vec::with_capacity(positions.len());
        let mut false_events = Vec::new();
        for (i, p) in positions.iter().enumerate() {
            let id = format!("A{:05}", i + 1);
            let key = stable_hash(&id);
            let mut rng = streams.rng(Purpose::AcousticNode, key, 0, 0);
            let pos = Geodetic::new(
                (p[0] * 1e7).round() / 1e7,
                (p[1] * 1e7).round() / 1e7,
                NODE_ALT_M,
            );
            let sd = (uniform(&mut rng, spec.sd_az_deg) * 10.0).round() / 10.0;
            let dead = rng.r#gen::<f64>() < spec.p_dead;
            // Alternating up/down renewal process, starting in its stationary state.
            let mut down = Vec::new();
            let p_up = spec.mean_up_s / (spec.mean_up_s + spec.mean_down_s);
            let mut t = 0.0;
            let mut up = rng.r#gen::<f64>() < p_up;
            while t < duration_s {
                let len = exponential(&mut rng, if up { spec.mean_up_s } else { spec.mean_down_s });
                if !up {
                    down.push((t, t + len));
                }
                t += len;
                up = !up;
            }
            if !dead {
                for ft in poisson_times(&mut rng, spec.false_per_hour / 3600.0, duration_s) {
                    false_events.push((ft, i as u32));
                }
            }
            nodes.push(AcousticNode {
                id,
                key,
                pos,
                frame: LocalFrame::new(pos),
                sd_az_deg: sd,
                dead,
                down,
            });
        }
        false_events.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let cell_m = spec.range_m.max(500.0);
        let ref_m = metres_per_degree(36.0);
        let mut net = AcousticNet {
            spec: spec.clone(),
            nodes,
            cell_m,
            ref_m,
            cells: HashMap::new(),
            false_events,
        };
        for (i, n) in net.nodes.iter().enumerate() {
            let c = net.cell(n.pos.lat_deg, n.pos.lon_deg);
            net.cells.entry(c).or_default().push(i as u32);
        }
        net
    }

    fn cell(&self, lat: f64, lon: f64) -> (i32, i32) {
        (
            (lat * self.ref_m.0 / self.cell_m).floor() as i32,
            (lon * self.ref_m.1 / self.cell_m).floor() as i32,
        )
    }

    /// Indices of nodes possibly within `radius_m` (ground) of a point; a superset.
    pub fn near(&self, lat: f64, lon: f64, radius_m: f64, out: &mut Vec<u32>) {
        out.clear();
        // Longitude metres per degree vary by ~10% over Korea from the reference
        // latitude; the margin covers it.
        let k = (radius_m * 1.15 / self.cell_m).ceil() as i32;
        let (ci, cj) = self.cell(lat, lon);
        for i in ci - k..=ci + k {
            for j in cj - k..=cj + k {
                if let Some(v) = self.cells.get(&(i, j)) {
                    out.extend_from_slice(v);
                }
            }
        }
    }
}

/// An ADS-B receiver.
pub struct AdsbReceiver {
    pub spec: AdsbReceiverSpec,
    pub key: u64,
}

impl AdsbReceiver {
    /// A receiver from its spec.
    pub fn new(spec: &AdsbReceiverSpec) -> AdsbReceiver {
        AdsbReceiver {
            spec: spec.clone(),
            key: stable_hash(&spec.id),
        }
    }
}
