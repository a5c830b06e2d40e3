//! Naive baselines standing for today's practice, with the same output type as the
//! predictive engine so that a scorer can compare them on one run:
//!
//! * [`ProvincePolicy`]: warn every municipality of a province while a threat is tracked
//!   inside the province or within `province_margin_m` (20 km) of it;
//! * [`RadiusPolicy`]: warn every area while a threat is within `radius_m` (30 km) of it.
//!
//! Both go off after the same hold time (and minimum durations) as the predictive
//! engine, so the comparison measures prediction, not timing.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use skywatch_areas::{Area, AreaId, AreaSet};
use skywatch_model::{AlertChange, TrackSnapshot};

use crate::policy::{AreaMachine, Timing, Transition};
use crate::predict::Flat;
use crate::{AreaChange, Reason, Rule, TrackReason, WarnConfig, WarnError, WarningPolicy};

/// Threat positions are bucketed into cells of this size (degrees, about 500 m) for
/// caching "which areas are within the distance"; the error is at most the half
/// diagonal of a cell, negligible against 20–30 km.
const CACHE_CELL_DEG: f64 = 0.005;

/// Distance from a point to an area's outline, zero inside.
///
/// # Units
/// Degrees in, metres out (flat-earth about the point).
pub fn distance_to_area_m(area: &Area, lat: f64, lon: f64) -> f64 {
    if !(lat.is_finite() && lon.is_finite()) {
        return f64::INFINITY;
    }
    if area.contains(lat, lon) {
        return 0.0;
    }
    let flat = Flat::new(lat, lon);
    let mut best = f64::INFINITY;
    for poly in &area.shape.0 {
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            let mut prev: Option<[f64; 2]> = None;
            for c in ring.0.iter() {
                let p = flat.to_local(c.y, c.x);
                if let Some(a) = prev {
                    best = best.min(point_segment_distance(a, p));
                }
                prev = Some(p);
            }
        }
    }
    best
}

/// Distance from the origin to segment a–b.
fn point_segment_distance(a: [f64; 2], b: [f64; 2]) -> f64 {
    let d = [b[0] - a[0], b[1] - a[1]];
    let len2 = d[0] * d[0] + d[1] * d[1];
    let f = if len2 > 0.0 {
        (-(a[0] * d[0] + a[1] * d[1]) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (a[0] + f * d[0]).hypot(a[1] + f * d[1])
}

fn cell_key(lat: f64, lon: f64) -> (i64, i64) {
    (
        (lat / CACHE_CELL_DEG).floor() as i64,
        (lon / CACHE_CELL_DEG).floor() as i64,
    )
}

fn cell_centre(k: (i64, i64)) -> (f64, f64) {
    (
        (k.0 as f64 + 0.5) * CACHE_CELL_DEG,
        (k.1 as f64 + 0.5) * CACHE_CELL_DEG,
    )
}

/// Areas of `set` within `dist_m` of a point (R-tree candidates, exact distance).
fn within(set: &AreaSet, lat: f64, lon: f64, dist_m: f64) -> Vec<AreaId> {
    let mut v: Vec<AreaId> = set
        .near(lat, lon, dist_m)
        .filter(|a| distance_to_area_m(set.get(*a), lat, lon) <= dist_m)
        .collect();
    v.sort_unstable();
    v
}

/// The on/off bookkeeping shared by the baselines.
#[derive(Debug)]
struct Board {
    machines: Vec<AreaMachine>,
    on: BTreeSet<AreaId>,
    last_tracks: HashMap<AreaId, Vec<TrackReason>>,
    last_t: f64,
    timing: Timing,
}

impl Board {
    fn new(n: usize, cfg: &WarnConfig) -> Board {
        Board {
            machines: vec![AreaMachine::default(); n],
            on: BTreeSet::new(),
            last_tracks: HashMap::new(),
            last_t: f64::NEG_INFINITY,
            timing: Timing {
                hold_s: cfg.policy.hold_s,
                min_on_s: cfg.policy.min_on_s,
                min_off_s: cfg.policy.min_off_s,
                persist_s: 0.0,
            },
        }
    }

    fn apply(
        &mut self,
        t: f64,
        areas: &AreaSet,
        mut triggered: BTreeMap<AreaId, Vec<TrackReason>>,
        rule: Rule,
    ) -> Vec<AreaChange> {
        let candidates: BTreeSet<AreaId> =
            triggered.keys().chain(self.on.iter()).copied().collect();
        let mut out = Vec::new();
        for a in candidates {
            let tracks = triggered.remove(&a);
            let on = tracks.is_some();
            let tr = self.machines[a.0 as usize].step(t, on, on, on, &self.timing);
            let code = areas.get(a).code.clone();
            let p_entry = tracks
                .as_ref()
                .map_or(0.0, |v| v.iter().map(|r| r.p_threat).fold(0.0, f64::max));
            if let Some(v) = &tracks {
                self.last_tracks.insert(a, v.clone());
            }
            let (on_now, rule, tracks) = match tr {
                Transition::None => continue,
                Transition::On => {
                    self.on.insert(a);
                    (true, rule, tracks.unwrap_or_default())
                }
                Transition::Off => {
                    self.on.remove(&a);
                    (
                        false,
                        Rule::AllClear,
                        self.last_tracks.remove(&a).unwrap_or_default(),
                    )
                }
            };
            out.push(AreaChange {
                change: AlertChange {
                    t,
                    area: code,
                    on: on_now,
                    eta_s: None,
                    tracks: tracks.iter().map(|r| r.track).collect(),
                },
                reason: Reason {
                    rule,
                    p_entry,
                    window_s: 0.0,
                    tracks,
                },
            });
        }
        out
    }
}

fn reason(s: &TrackSnapshot, p_threat: f64, inside: bool) -> TrackReason {
    TrackReason {
        track: s.estimate.id,
        p_threat,
        p_entry: p_threat,
        inside,
        coasting: false,
        route_share: 0.0,
        eta: None,
    }
}

/// What triggers a group of municipalities in the province baseline.
#[derive(Debug, Clone, Copy)]
enum Trigger {
    Province(AreaId),
    /// A municipality that belongs to no known province triggers only itself.
    Own(AreaId),
}

/// Baseline: warn a whole province (as all its municipalities) while a threat is inside
/// it or within the margin.
#[derive(Debug)]
pub struct ProvincePolicy {
    cfg: WarnConfig,
    areas: Arc<AreaSet>,
    provinces: Arc<AreaSet>,
    /// Per province (by index in `provinces`): its municipalities.
    members: Vec<Vec<AreaId>>,
    /// Municipalities in no province.
    orphans: Vec<AreaId>,
    cache: HashMap<(i64, i64), Vec<Trigger>>,
    board: Board,
}

impl ProvincePolicy {
    /// `areas` are the warned municipalities; a municipality belongs to the province
    /// whose `code` is the prefix of its own (Korean KOSTAT codes: 2-digit province,
    /// 5-digit municipality), else to the province containing its centroid, else to
    /// none (then only a threat near the municipality itself warns it).
    pub fn new(
        config: WarnConfig,
        areas: Arc<AreaSet>,
        provinces: Arc<AreaSet>,
    ) -> Result<ProvincePolicy, WarnError> {
        config.validate()?;
        let mut members = vec![Vec::new(); provinces.len()];
        let mut orphans = Vec::new();
        for (id, a) in areas.iter() {
            let by_prefix = provinces
                .iter()
                .filter(|(_, p)| !p.code.is_empty() && a.code.starts_with(&*p.code))
                .max_by_key(|(_, p)| p.code.len())
                .map(|(pid, _)| pid);
            let prov =
                by_prefix.or_else(|| provinces.containing(a.centroid.0, a.centroid.1).next());
            match prov {
                Some(p) => members[p.0 as usize].push(id),
                None => orphans.push(id),
            }
        }
        Ok(ProvincePolicy {
            board: Board::new(areas.len(), &config),
            cfg: config,
            areas,
            provinces,
            members,
            orphans,
            cache: HashMap::new(),
        })
    }

    /// Codes of the municipalities assigned to a province code.
    pub fn members_of(&self, province_code: &str) -> Vec<&str> {
        self.provinces
            .by_code(province_code)
            .map(|p| {
                self.members[p.0 as usize]
                    .iter()
                    .map(|a| &*self.areas.get(*a).code)
                    .collect()
            })
            .unwrap_or_default()
    }

    fn triggers(&mut self, lat: f64, lon: f64) -> &[Trigger] {
        let key = cell_key(lat, lon);
        let margin = self.cfg.baseline.province_margin_m;
        let (provinces, areas, orphans) = (&self.provinces, &self.areas, &self.orphans);
        self.cache.entry(key).or_insert_with(|| {
            let (clat, clon) = cell_centre(key);
            let mut v: Vec<Trigger> = within(provinces, clat, clon, margin)
                .into_iter()
                .map(Trigger::Province)
                .collect();
            if !orphans.is_empty() {
                v.extend(
                    within(areas, clat, clon, margin)
                        .into_iter()
                        .filter(|a| orphans.contains(a))
                        .map(Trigger::Own),
                );
            }
            v
        })
    }
}

impl WarningPolicy for ProvincePolicy {
    fn name(&self) -> &'static str {
        "province"
    }

    fn step(&mut self, t: f64, tracks: &[TrackSnapshot]) -> Vec<AreaChange> {
        if !t.is_finite() || t < self.board.last_t {
            return Vec::new();
        }
        self.board.last_t = t;
        let mut triggered: BTreeMap<AreaId, Vec<TrackReason>> = BTreeMap::new();
        for s in tracks {
            let Some(p) = crate::threat_probability(s, &self.cfg.threat) else {
                continue;
            };
            let (lat, lon) = (s.estimate.pos.lat_deg, s.estimate.pos.lon_deg);
            let trig = self.triggers(lat, lon).to_vec();
            if trig.is_empty() {
                continue;
            }
            let here: Vec<AreaId> = self.areas.containing(lat, lon).collect();
            for tg in trig {
                let list: &[AreaId] = match &tg {
                    Trigger::Province(pid) => &self.members[pid.0 as usize],
                    Trigger::Own(a) => std::slice::from_ref(a),
                };
                for m in list {
                    triggered
                        .entry(*m)
                        .or_default()
                        .push(reason(s, p, here.contains(m)));
                }
            }
        }
        self.board.apply(t, &self.areas, triggered, Rule::Province)
    }
}

/// Baseline: warn every area while a threat is within `radius_m` of it.
#[derive(Debug)]
pub struct RadiusPolicy {
    cfg: WarnConfig,
    areas: Arc<AreaSet>,
    cache: HashMap<(i64, i64), Vec<AreaId>>,
    board: Board,
}

impl RadiusPolicy {
    /// A radius baseline over `areas`.
    pub fn new(config: WarnConfig, areas: Arc<AreaSet>) -> Result<RadiusPolicy, WarnError> {
        config.validate()?;
        Ok(RadiusPolicy {
            board: Board::new(areas.len(), &config),
            cfg: config,
            areas,
            cache: HashMap::new(),
        })
    }
}

impl WarningPolicy for RadiusPolicy {
    fn name(&self) -> &'static str {
        "radius"
    }

    fn step(&mut self, t: f64, tracks: &[TrackSnapshot]) -> Vec<AreaChange> {
        if !t.is_finite() || t < self.board.last_t {
            return Vec::new();
        }
        self.board.last_t = t;
        let radius = self.cfg.baseline.radius_m;
        let mut triggered: BTreeMap<AreaId, Vec<TrackReason>> = BTreeMap::new();
        for s in tracks {
            let Some(p) = crate::threat_probability(s, &self.cfg.threat) else {
                continue;
            };
            let (lat, lon) = (s.estimate.pos.lat_deg, s.estimate.pos.lon_deg);
            let key = cell_key(lat, lon);
            let areas = &self.areas;
            let list = self.cache.entry(key).or_insert_with(|| {
                let (clat, clon) = cell_centre(key);
                within(areas, clat, clon, radius)
            });
            let here: Vec<AreaId> = areas.containing(lat, lon).collect();
            for m in list.iter() {
                triggered
                    .entry(*m)
                    .or_default()
                    .push(reason(s, p, here.contains(m)));
            }
        }
        self.board.apply(t, &self.areas, triggered, Rule::Radius)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_segment_distance_cases() {
        assert_eq!(point_segment_distance([-1.0, 1.0], [1.0, 1.0]), 1.0);
        assert_eq!(point_segment_distance([3.0, 4.0], [6.0, 8.0]), 5.0);
        assert_eq!(point_segment_distance([2.0, 0.0], [2.0, 0.0]), 2.0);
    }
}
