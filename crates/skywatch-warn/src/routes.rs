//! Route learning: a bounded memory of the paths threats flew, and matching of a
//! follower to the paths of the tracks ahead of it.
//!
//! Drones of one wave fly the same pre-planned waypoints. A drone that has turned at a
//! waypoint shows where the followers will turn, long before they do; a kinematic
//! extrapolation of a follower flying straight at that waypoint cannot know. The memory
//! is deterministic engine state: paths are recorded at whole multiples of
//! `record_every_s`, bounded in count, length and age, and iterated in track-id order.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};

use skywatch_geo::{angle_diff_rad, flat_distance_m};

use crate::config::RouteConfig;
use crate::grid::M_PER_DEG_LAT;
use crate::predict::{Flat, RouteGuide};

/// Jumps implying more than this speed start the path afresh (a track swap), m/s.
const MAX_PATH_SPEED_M_S: f64 = 150.0;

/// A multiplicative hasher for small integer keys: the index is queried for every
/// prediction, and SipHash showed in profiles. Keys are not attacker-chosen.
#[derive(Debug, Default, Clone, Copy)]
struct CellHasher(u64);

impl Hasher for CellHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(*b as u64);
        }
    }
    fn write_i64(&mut self, i: i64) {
        self.write_u64(i as u64);
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7C_C1_B7_27_22_0A_95);
    }
}

type CellMap<V> = HashMap<(i64, i64), V, BuildHasherDefault<CellHasher>>;

#[derive(Debug, Clone, Copy)]
struct PathPoint {
    t: f64,
    lat: f64,
    lon: f64,
    /// Azimuth of the segment to the next point, radians (NaN on the newest point);
    /// computed once when the next point is recorded, so index rebuilds are cheap.
    heading: f64,
}

/// A path point as the index holds it: everything the match needs, so that matching
/// touches no map (it runs for every track at every prediction).
#[derive(Debug, Clone, Copy)]
struct IndexEntry {
    track: u64,
    /// Absolute index of the point in its path (points ever dropped from the path's
    /// front included), so entries stay valid while the path grows and go stale, not
    /// wrong, when it is trimmed.
    abs: usize,
    t: f64,
    lat: f64,
    lon: f64,
    /// Azimuth of the segment to the next point, radians.
    heading: f64,
}

#[derive(Debug, Clone, Default)]
struct Path {
    pts: VecDeque<PathPoint>,
    /// Absolute index of `pts[0]`: points ever dropped from the front.
    base: usize,
}

impl Path {
    /// Local index of the point at absolute index `abs`, if it is held and has a
    /// successor (a segment).
    fn segment(&self, abs: usize) -> Option<usize> {
        let k = abs.checked_sub(self.base)?;
        (k + 1 < self.pts.len()).then_some(k)
    }
}

/// The bounded memory of recent threat paths.
#[derive(Debug, Clone)]
pub struct RouteMemory {
    cfg: RouteConfig,
    paths: BTreeMap<u64, Path>,
    /// Cell → points with a successor. Extended as points are recorded; entries of
    /// trimmed or dropped paths go stale and are skipped, and the index is rebuilt once
    /// they outnumber the live ones (so a step never rebuilds it for every path).
    index: CellMap<Vec<IndexEntry>>,
    live: usize,
    stale: usize,
    /// Cell size in longitude, degrees: the gate at the latitude of the first point ever
    /// recorded (fixed, so keys stay consistent; queries widen their span elsewhere).
    cell_dlon: Option<f64>,
}

impl RouteMemory {
    /// An empty memory.
    pub fn new(cfg: RouteConfig) -> RouteMemory {
        RouteMemory {
            cfg,
            paths: BTreeMap::new(),
            index: CellMap::default(),
            live: 0,
            stale: 0,
            cell_dlon: None,
        }
    }

    /// Number of paths held.
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    /// Whether no path is held.
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// Records a threat's position at time `t` (kept only at whole multiples of the
    /// recording period, once per period).
    ///
    /// # Units
    /// Seconds, degrees.
    pub fn record(&mut self, t: f64, track: u64, lat: f64, lon: f64) {
        if !(t.is_finite() && lat.is_finite() && lon.is_finite()) {
            return;
        }
        if self.cell_dlon.is_none() {
            let cos = lat.to_radians().cos().max(0.05);
            self.cell_dlon = Some(self.cfg.gate_m / (M_PER_DEG_LAT * cos));
        }
        let period = self.cfg.record_every_s;
        let slot = (t / period).floor();
        let path = self.paths.entry(track).or_default();
        let mut dropped = 0;
        if let Some(last) = path.pts.back() {
            if (last.t / period).floor() >= slot {
                return;
            }
            let dt = t - last.t;
            if flat_distance_m(last.lat, last.lon, lat, lon) > MAX_PATH_SPEED_M_S * dt.max(1.0) {
                dropped += path.pts.len().saturating_sub(1);
                path.base += path.pts.len();
                path.pts.clear();
            }
        }
        let mut entry = None;
        let abs_last = (path.base + path.pts.len()).saturating_sub(1);
        if let Some(last) = path.pts.back_mut() {
            let d = Flat::new(last.lat, last.lon).to_local(lat, lon);
            last.heading = d[0].atan2(d[1]);
            entry = Some(IndexEntry {
                track,
                abs: abs_last,
                t: last.t,
                lat: last.lat,
                lon: last.lon,
                heading: last.heading,
            });
        }
        path.pts.push_back(PathPoint {
            t,
            lat,
            lon,
            heading: f64::NAN,
        });
        while path.pts.len() > self.cfg.max_points {
            path.pts.pop_front();
            path.base += 1;
            dropped += 1;
        }
        self.stale += dropped;
        self.live -= dropped.min(self.live);
        if let Some(en) = entry {
            let key = self.key(en.lat, en.lon);
            self.index.entry(key).or_default().push(en);
            self.live += 1;
        }
    }

    /// Drops points older than `max_age_s` and the least recently extended paths beyond
    /// `max_paths`.
    pub fn prune(&mut self, t: f64) {
        let max_age = self.cfg.max_age_s;
        let mut dropped = 0;
        for p in self.paths.values_mut() {
            while p.pts.front().is_some_and(|q| t - q.t > max_age) {
                p.pts.pop_front();
                p.base += 1;
                if !p.pts.is_empty() {
                    dropped += 1;
                }
            }
        }
        self.paths.retain(|_, p| !p.pts.is_empty());
        if self.paths.len() > self.cfg.max_paths {
            let mut by_age: Vec<(f64, u64)> = self
                .paths
                .iter()
                .map(|(id, p)| (p.pts.back().map_or(f64::NEG_INFINITY, |q| q.t), *id))
                .collect();
            by_age.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let excess = self.paths.len() - self.cfg.max_paths;
            for (_, id) in by_age.into_iter().take(excess) {
                if let Some(p) = self.paths.remove(&id) {
                    dropped += p.pts.len().saturating_sub(1);
                }
            }
        }
        self.stale += dropped;
        self.live -= dropped.min(self.live);
        if self.stale > self.live.max(1024) {
            self.rebuild();
        }
    }

    fn cell_dlat(&self) -> f64 {
        self.cfg.gate_m / M_PER_DEG_LAT
    }

    fn cell_dlon(&self) -> f64 {
        self.cell_dlon.unwrap_or_else(|| self.cell_dlat())
    }

    fn key(&self, lat: f64, lon: f64) -> (i64, i64) {
        (
            (lat / self.cell_dlat()).floor() as i64,
            (lon / self.cell_dlon()).floor() as i64,
        )
    }

    fn rebuild(&mut self) {
        let mut index: CellMap<Vec<IndexEntry>> = CellMap::default();
        let mut live = 0;
        for (id, p) in &self.paths {
            for k in 0..p.pts.len().saturating_sub(1) {
                let a = p.pts[k];
                live += 1;
                index
                    .entry(self.key(a.lat, a.lon))
                    .or_default()
                    .push(IndexEntry {
                        track: *id,
                        abs: p.base + k,
                        t: a.t,
                        lat: a.lat,
                        lon: a.lon,
                        heading: a.heading,
                    });
            }
        }
        self.index = index;
        self.live = live;
        self.stale = 0;
    }

    /// Learned routes for a follower at (`lat`, `lon`) heading `heading_rad` (azimuth) at
    /// time `t`: up to `max_matches` other tracks' paths that passed within the gate,
    /// along the follower's heading, at least `min_lead_s` earlier, and go on at least
    /// `min_ahead_m`. Each guide is the rest of that path in the frame `flat`, cut after
    /// `max_len_m` of arc. Best match first.
    ///
    /// # Units
    /// Seconds, degrees, radians, metres.
    pub fn guides(
        &mut self,
        t: f64,
        track: u64,
        lat: f64,
        lon: f64,
        heading_rad: f64,
        max_len_m: f64,
    ) -> Vec<RouteGuide> {
        if !self.cfg.enabled || self.paths.is_empty() || !heading_rad.is_finite() {
            return Vec::new();
        }
        let flat = Flat::new(lat, lon);
        let (ki, kj) = self.key(lat, lon);
        let gate = self.cfg.gate_m;
        let span_lon = ((gate / flat.m_per_deg_lon) / self.cell_dlon())
            .ceil()
            .max(1.0) as i64;
        let hgate = self.cfg.heading_gate_deg.to_radians();
        let gate_dlat = gate / M_PER_DEG_LAT;
        let gate_dlon = gate / flat.m_per_deg_lon;
        // Per path: best (score, local index of the matched point).
        let mut best: BTreeMap<u64, (f64, usize)> = BTreeMap::new();
        for di in -1..=1 {
            for dj in -span_lon..=span_lon {
                let Some(list) = self.index.get(&(ki + di, kj + dj)) else {
                    continue;
                };
                for en in list {
                    if en.track == track || t - en.t < self.cfg.min_lead_s {
                        continue;
                    }
                    // Cheap box test in degrees before the metric one.
                    if (en.lat - lat).abs() > gate_dlat || (en.lon - lon).abs() > gate_dlon {
                        continue;
                    }
                    let dh = angle_diff_rad(en.heading, heading_rad).abs();
                    if dh > hgate {
                        continue;
                    }
                    let pa = flat.to_local(en.lat, en.lon);
                    let d = pa[0].hypot(pa[1]);
                    if d > gate {
                        continue;
                    }
                    // Stale entry (its path was trimmed or dropped): skip.
                    let Some(k) = self.paths.get(&en.track).and_then(|p| p.segment(en.abs)) else {
                        continue;
                    };
                    let score = d / gate + dh / hgate.max(1e-6);
                    let e = best.entry(en.track).or_insert((f64::INFINITY, k));
                    if score < e.0 {
                        *e = (score, k);
                    }
                }
            }
        }
        let mut ranked: Vec<(f64, u64, usize)> =
            best.into_iter().map(|(id, (s, k))| (s, id, k)).collect();
        ranked.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut out = Vec::new();
        for (_, id, k) in ranked {
            if out.len() >= self.cfg.max_matches {
                break;
            }
            let p = &self.paths[&id];
            let mut pts = Vec::new();
            let mut len = 0.0;
            for q in p.pts.iter().skip(k) {
                let x = flat.to_local(q.lat, q.lon);
                if let Some(prev) = pts.last() {
                    let prev: &[f64; 2] = prev;
                    len += (x[0] - prev[0]).hypot(x[1] - prev[1]);
                }
                pts.push(x);
                if len > max_len_m {
                    break;
                }
            }
            if len >= self.cfg.min_ahead_m && pts.len() >= 2 {
                out.push(RouteGuide { points: pts });
            }
        }
        if out.len() < self.cfg.min_agree || !agree(&out, self.cfg.agree_m) {
            return Vec::new();
        }
        out
    }
}

/// Length of a polyline, metres.
fn arc_len(pts: &[[f64; 2]]) -> f64 {
    pts.windows(2)
        .map(|w| (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]))
        .sum()
}

/// Point at arc length `s` along a polyline (its end beyond it).
fn point_at(pts: &[[f64; 2]], s: f64) -> [f64; 2] {
    let mut left = s;
    for w in pts.windows(2) {
        let seg = (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]);
        if seg > 0.0 && left <= seg {
            let f = left / seg;
            return [
                w[0][0] + f * (w[1][0] - w[0][0]),
                w[0][1] + f * (w[1][1] - w[0][1]),
            ];
        }
        left -= seg;
    }
    pts[pts.len() - 1]
}

/// Whether the guides, as far ahead as the shortest goes, all lie within `agree_m` of
/// their mean point.
fn agree(guides: &[RouteGuide], agree_m: f64) -> bool {
    if guides.len() < 2 {
        return true;
    }
    let s = guides
        .iter()
        .map(|g| arc_len(&g.points))
        .fold(f64::INFINITY, f64::min);
    let ends: Vec<[f64; 2]> = guides.iter().map(|g| point_at(&g.points, s)).collect();
    let n = ends.len() as f64;
    let mean = [
        ends.iter().map(|p| p[0]).sum::<f64>() / n,
        ends.iter().map(|p| p[1]).sum::<f64>() / n,
    ];
    ends.iter()
        .all(|p| (p[0] - mean[0]).hypot(p[1] - mean[1]) <= agree_m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> RouteConfig {
        RouteConfig {
            min_ahead_m: 1000.0,
            enabled: true,
            min_agree: 1,
            ..RouteConfig::default()
        }
    }

    #[test]
    fn trimmed_paths_match_from_the_right_point_and_stale_entries_are_skipped() {
        // A short memory: 20 points per path, so the leader's path is trimmed while it
        // flies; the index is only extended, never rebuilt, in this test's span.
        let mut m = RouteMemory::new(RouteConfig {
            max_points: 20,
            ..cfg()
        });
        for s in 0..=600 {
            let t = s as f64;
            m.record(t, 1, 37.0 + 50.0 * t / M_PER_DEG_LAT, 127.0);
        }
        assert_eq!(m.paths[&1].pts.len(), 20);
        // The start of the flight was trimmed: no guide there.
        assert!(m.guides(600.0, 2, 37.0, 127.001, 0.0, 20_000.0).is_empty());
        // Mid-way through what is kept (t = 500 s, 25 km north): the guide starts at
        // the follower, not at a shifted point.
        let lat = 37.0 + 25_000.0 / M_PER_DEG_LAT;
        let g = m.guides(600.0, 2, lat, 127.001, 0.0, 20_000.0);
        assert_eq!(g.len(), 1);
        let first = g[0].points[0];
        assert!(first[1].abs() < 300.0, "{first:?}");
        // Dropping the path makes its entries stale, never a panic or a wrong guide.
        m.prune(600.0 + 10_000.0);
        assert!(m.guides(600.0, 2, lat, 127.001, 0.0, 20_000.0).is_empty());
    }

    #[test]
    fn follower_matches_leader_path_ahead_only() {
        let mut m = RouteMemory::new(cfg());
        // Leader flies north from (37.0, 127.0) at 50 m/s for 10 minutes.
        for s in 0..=600 {
            let t = s as f64;
            m.record(t, 1, 37.0 + 50.0 * t / M_PER_DEG_LAT, 127.0);
        }
        // Each record period keeps one point.
        assert_eq!(m.paths[&1].pts.len(), 61);
        let g = m.guides(600.0, 2, 37.0, 127.001, 0.0, 20_000.0);
        assert_eq!(g.len(), 1);
        let first = g[0].points[0];
        assert!(first[1].abs() < 300.0 && (first[0] + 89.0).abs() < 5.0);
        // Heading the other way: no match.
        assert!(m.guides(600.0, 2, 37.0, 127.001, 3.1, 20_000.0).is_empty());
        // Its own path is never a guide.
        assert!(m.guides(600.0, 1, 37.0, 127.0, 0.0, 20_000.0).is_empty());
    }

    /// Two leaders that part ways 5 km on (one goes on north, one turns east) teach a
    /// follower nothing; two that fly the same way do.
    #[test]
    fn leaders_must_agree() {
        let strict = RouteConfig {
            min_agree: 2,
            ..cfg()
        };
        let fly = |m: &mut RouteMemory, id: u64, east_after_m: Option<f64>| {
            for s in 0..=600 {
                let t = s as f64;
                let d = 50.0 * t;
                let (n, e) = match east_after_m {
                    Some(turn) if d > turn => (turn, d - turn),
                    _ => (d, 0.0),
                };
                let lon = 127.0 + e / Flat::new(37.0, 127.0).m_per_deg_lon;
                m.record(t, id, 37.0 + n / M_PER_DEG_LAT, lon);
            }
        };
        let mut split = RouteMemory::new(strict.clone());
        fly(&mut split, 1, None);
        fly(&mut split, 3, Some(5_000.0));
        assert!(
            split
                .guides(600.0, 2, 37.0, 127.001, 0.0, 20_000.0)
                .is_empty()
        );
        let mut same = RouteMemory::new(strict.clone());
        fly(&mut same, 1, Some(5_000.0));
        fly(&mut same, 3, Some(5_000.0));
        assert_eq!(same.guides(600.0, 2, 37.0, 127.001, 0.0, 20_000.0).len(), 2);
        // One leader alone is not enough.
        let mut one = RouteMemory::new(strict);
        fly(&mut one, 1, Some(5_000.0));
        assert!(
            one.guides(600.0, 2, 37.0, 127.001, 0.0, 20_000.0)
                .is_empty()
        );
    }

    #[test]
    fn memory_is_bounded() {
        let mut m = RouteMemory::new(RouteConfig {
            max_paths: 3,
            max_points: 5,
            ..cfg()
        });
        for id in 0..10u64 {
            for s in 0..20 {
                m.record(
                    (id * 1000 + s * 10) as f64,
                    id,
                    37.0,
                    127.0 + s as f64 * 1e-3,
                );
            }
        }
        m.prune(10_000.0);
        assert_eq!(m.len(), 3);
        assert!(m.paths.values().all(|p| p.pts.len() == 5));
        assert!(m.paths.contains_key(&9) && !m.paths.contains_key(&6));
    }
}
