//! Corridor prediction of one track: a fixed deterministic sample set propagated with
//! the tracker's motion models, looked up against the areas.
//!
//! Each sample draws, through the snapshot's covariance, a position and velocity, and
//! then one motion hypothesis:
//! * with probability `p_manoeuvre`, a coordinated turn at `turn_rate + sd·z` that lasts
//!   a sampled time up to `max_turn_s` (drones turn at waypoints, they do not circle),
//!   then straight flight;
//! * otherwise nearly-constant velocity;
//! * in both, a constant heading drift rate `N(0, σ_drift)` standing for small,
//!   slow heading changes, so the corridor widens with time;
//! * and, with `leg_turns`, one unseen waypoint turn at an exponentially distributed
//!   time (the track's turn hazard), by a uniform angle either way;
//! * or, when learned routes match the track, with probability `routes.weight`, the rest
//!   of a leader's path at the sample's speed, offset by the sample's initial offset
//!   (decaying, as followers converge on the same waypoints).
//!
//! The sample set is a Latin hypercube generated once from a fixed seed, so the same
//! snapshot always gives the same corridor, and no random state survives a call.

use skywatch_areas::{AreaId, AreaSet};
use skywatch_model::TrackSnapshot;

use crate::EtaSummary;
use crate::config::PredictConfig;
use crate::grid::{AreaGrid, M_PER_DEG_LAT};

/// Dimensions of one sample: 0..4 state normals (east, north, v_east, v_north), 4 turn
/// rate normal, 5 mode uniform, 6 turn duration uniform, 7 drift normal, 8 route uniform,
/// 9 waypoint-turn time uniform, 10 waypoint-turn angle uniform, 11 end uniform.
pub(crate) const DIMS: usize = 12;

/// Where the threats ahead ended their flight, for one prediction: points (lat, lon)
/// near the track; a sample that comes within `radius_m` of one ends there with
/// probability `p_end`, independently for each point.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ends<'a> {
    pub points: &'a [[f64; 2]],
    pub radius_m: f64,
    pub p_end: f64,
}

/// Route samples' offset from the leader's path shrinks to zero over this time, seconds.
const ROUTE_OFFSET_DECAY_S: f64 = 300.0;

/// A fixed Latin-hypercube sample set: each dimension is stratified into `n` equal
/// slices visited once each, in an order shuffled by a fixed-seed generator, which keeps
/// the dimensions uncorrelated for any `n` (unlike a Halton set in 9 dimensions).
#[derive(Debug, Clone)]
pub struct SampleSet {
    u: Vec<[f64; DIMS]>,
    z: Vec<[f64; DIMS]>,
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut x = *state;
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Inverse of the standard normal CDF (Acklam's rational approximation, relative error
/// below 1.2e-9), for `p` in (0, 1).
pub fn inv_norm_cdf(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let p = p.clamp(1e-12, 1.0 - 1e-12);
    let pl = 0.02425;
    if p < pl {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - pl {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    }
}

impl SampleSet {
    /// `n` samples (at least one), from the generator seeded with `seed`.
    pub fn latin_hypercube(n: usize, seed: u64) -> SampleSet {
        let n = n.max(1);
        let mut state = seed;
        let mut u = vec![[0.0; DIMS]; n];
        for d in 0..DIMS {
            let mut perm: Vec<usize> = (0..n).collect();
            for i in (1..n).rev() {
                let j = (splitmix64(&mut state) % (i as u64 + 1)) as usize;
                perm.swap(i, j);
            }
            for (i, row) in u.iter_mut().enumerate() {
                row[d] = (perm[i] as f64 + 0.5) / n as f64;
            }
        }
        let z = u
            .iter()
            .map(|row| {
                let mut zr = [0.0; DIMS];
                for d in 0..DIMS {
                    zr[d] = inv_norm_cdf(row[d]);
                }
                zr
            })
            .collect();
        SampleSet { u, z }
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.u.len()
    }

    /// Never true (at least one sample).
    pub fn is_empty(&self) -> bool {
        self.u.is_empty()
    }
}

/// A learned route handed to the predictor: the rest of a leader's path in the track's
/// local frame, starting at the point matched to the track.
///
/// # Units
/// Metres east, north of the track's position.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteGuide {
    pub points: Vec<[f64; 2]>,
}

/// Entry of one track's samples into one area.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaPrediction {
    pub area: AreaId,
    /// The track's estimated position is inside the area now.
    pub inside_now: bool,
    /// (ETA seconds from the prediction time, weight) of every entering sample, sorted
    /// by ETA; all samples' weights sum to 1.
    pub etas: Vec<(f64, f64)>,
}

impl AreaPrediction {
    /// Probability of entry within `h` seconds of the prediction time (not including
    /// `p_threat`).
    pub fn p_within(&self, h: f64) -> f64 {
        if self.inside_now {
            return 1.0;
        }
        self.etas
            .iter()
            .take_while(|(e, _)| *e <= h)
            .map(|(_, w)| w)
            .sum::<f64>()
            .min(1.0)
    }

    /// Probability of entry later than `lo` and within `hi` seconds of the prediction
    /// time (not including `p_threat`); entries before a negative `lo` count, so with
    /// `lo < 0` this is [`AreaPrediction::p_within`]`(hi)`. Being inside at the
    /// prediction time counts as an entry at 0.
    pub fn p_between(&self, lo: f64, hi: f64) -> f64 {
        if lo < 0.0 {
            self.p_within(hi)
        } else {
            (self.p_within(hi) - self.p_within(lo)).max(0.0)
        }
    }

    /// Weighted quantiles of the ETA over the entering samples, shifted back by `age`
    /// seconds (for a coasting track) and clamped at zero.
    pub fn eta_summary(&self, age: f64) -> Option<EtaSummary> {
        if self.inside_now {
            return Some(EtaSummary {
                min_s: 0.0,
                p10_s: 0.0,
                p50_s: 0.0,
                p90_s: 0.0,
            });
        }
        let total: f64 = self.etas.iter().map(|(_, w)| w).sum();
        if self.etas.is_empty() || total <= 0.0 {
            return None;
        }
        let q = |f: f64| {
            let mut acc = 0.0;
            for (e, w) in &self.etas {
                acc += w;
                if acc >= f * total - 1e-12 {
                    return (e - age).max(0.0);
                }
            }
            (self.etas[self.etas.len() - 1].0 - age).max(0.0)
        };
        Some(EtaSummary {
            min_s: (self.etas[0].0 - age).max(0.0),
            p10_s: q(0.1),
            p50_s: q(0.5),
            p90_s: q(0.9),
        })
    }
}

/// The corridor of one track at one time.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackPrediction {
    pub track: u64,
    /// Time of the prediction, seconds since the epoch.
    pub t: f64,
    pub p_threat: f64,
    /// Share of samples that followed learned routes (0 to 1).
    pub route_share: f64,
    /// Areas entered by some sample within the horizon, by area index.
    pub areas: Vec<AreaPrediction>,
}

/// Flat-earth frame about a point: adequate for tens of kilometres of corridor, whose
/// own uncertainty is kilometres.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Flat {
    pub lat0: f64,
    pub lon0: f64,
    pub m_per_deg_lon: f64,
}

impl Flat {
    pub(crate) fn new(lat0: f64, lon0: f64) -> Flat {
        Flat {
            lat0,
            lon0,
            m_per_deg_lon: M_PER_DEG_LAT * lat0.to_radians().cos().max(0.01),
        }
    }
    #[inline]
    pub(crate) fn to_geo(self, e: f64, n: f64) -> (f64, f64) {
        (
            self.lat0 + n / M_PER_DEG_LAT,
            self.lon0 + e / self.m_per_deg_lon,
        )
    }
    #[inline]
    pub(crate) fn to_local(self, lat: f64, lon: f64) -> [f64; 2] {
        // Cheap wrap (no fmod): inputs are longitudes, so one correction suffices.
        let mut dlon = lon - self.lon0;
        if dlon > 180.0 {
            dlon -= 360.0;
        } else if dlon < -180.0 {
            dlon += 360.0;
        }
        [dlon * self.m_per_deg_lon, (lat - self.lat0) * M_PER_DEG_LAT]
    }
}

// Index loops mirror the textbook algorithm; iterator forms obscure it.
#[allow(clippy::needless_range_loop)]
/// Lower-triangular Cholesky factor of a 4×4 covariance, with variance floors; falls
/// back to the diagonal when the matrix is not positive definite or not finite.
fn chol4(cov: &[[f64; 4]; 4], floors: [f64; 4]) -> [[f64; 4]; 4] {
    let mut a = *cov;
    for (i, row) in a.iter_mut().enumerate() {
        row[i] = if row[i].is_finite() {
            row[i].max(floors[i])
        } else {
            floors[i]
        };
    }
    let mut l = [[0.0; 4]; 4];
    let mut ok = a.iter().flatten().all(|x| x.is_finite());
    'outer: for i in 0..4 {
        if !ok {
            break;
        }
        for j in 0..=i {
            let mut s = (a[i][j] + a[j][i]) / 2.0;
            for k in 0..j {
                s -= l[i][k] * l[j][k];
            }
            if i == j {
                if s <= 0.0 {
                    ok = false;
                    break 'outer;
                }
                l[i][i] = s.sqrt();
            } else {
                l[i][j] = s / l[j][j];
            }
        }
    }
    if !ok {
        l = [[0.0; 4]; 4];
        for i in 0..4 {
            l[i][i] = a[i][i].max(floors[i]).sqrt();
        }
    }
    l
}

/// A route prepared for walking: cumulative arc length per point.
struct Walk {
    pts: Vec<[f64; 2]>,
    cum: Vec<f64>,
}

impl Walk {
    fn new(points: &[[f64; 2]]) -> Option<Walk> {
        let pts: Vec<[f64; 2]> = points
            .iter()
            .copied()
            .filter(|p| p[0].is_finite() && p[1].is_finite())
            .collect();
        if pts.len() < 2 {
            return None;
        }
        let mut cum = Vec::with_capacity(pts.len());
        let mut s = 0.0;
        cum.push(0.0);
        for w in pts.windows(2) {
            s += (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]);
            cum.push(s);
        }
        (s > 0.0).then_some(Walk { pts, cum })
    }

    /// Point at arc length `s`; beyond the end, straight on along the last segment.
    fn at(&self, s: f64) -> [f64; 2] {
        let n = self.pts.len();
        let k = match self.cum.binary_search_by(|c| c.total_cmp(&s)) {
            Ok(k) => k.min(n - 2),
            Err(k) => k.saturating_sub(1).min(n - 2),
        };
        let seg = self.cum[k + 1] - self.cum[k];
        let (a, b) = (self.pts[k], self.pts[k + 1]);
        if seg <= 0.0 {
            return a;
        }
        let f = (s - self.cum[k]) / seg;
        [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1])]
    }
}

/// The predictor: configuration, sample set, and the area lookup grid.
pub(crate) struct Predictor {
    cfg: PredictConfig,
    samples: SampleSet,
    grid: AreaGrid,
}

impl Predictor {
    pub(crate) fn new(cfg: PredictConfig, areas: &AreaSet) -> Predictor {
        let samples = SampleSet::latin_hypercube(cfg.samples, cfg.sample_seed);
        let grid = AreaGrid::new(areas, cfg.grid_cell_m, cfg.max_grid_cells);
        Predictor { cfg, samples, grid }
    }

    /// Predicts one track. `extra_drift_sd` (rad/s) widens the corridor (turn history);
    /// `turn_hazard` (1/s) is the rate of unseen waypoint turns (used with
    /// `leg_turns`); `orbit` (rad/s) the turn rate of a track that is circling, which
    /// its samples keep for the whole horizon; `guides` are learned routes, whose
    /// samples get `route_weight` of the weight.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn predict(
        &mut self,
        areas: &AreaSet,
        snap: &TrackSnapshot,
        p_threat: f64,
        extra_drift_sd: f64,
        turn_hazard: f64,
        orbit: Option<f64>,
        guides: &[RouteGuide],
        route_weight: f64,
        ends: Ends<'_>,
    ) -> TrackPrediction {
        let e = &snap.estimate;
        let (lat0, lon0) = (e.pos.lat_deg, e.pos.lon_deg);
        let flat = Flat::new(lat0, lon0);
        let c = &self.cfg;
        let floors = [
            c.min_pos_sd_m.powi(2),
            c.min_pos_sd_m.powi(2),
            c.min_vel_sd_m_s.powi(2),
            c.min_vel_sd_m_s.powi(2),
        ];
        let l = chol4(&snap.cov_h, floors);
        let mean = [0.0, 0.0, e.vel.ve, e.vel.vn];
        let turn_rate = if snap.turn_rate.is_finite() {
            snap.turn_rate
        } else {
            0.0
        };
        let sd_turn = if snap.sd_turn_rate.is_finite() {
            snap.sd_turn_rate.abs()
        } else {
            0.0
        };
        let p_man = if snap.p_manoeuvre.is_finite() {
            snap.p_manoeuvre.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let drift_sd = c
            .heading_drift_sd_rad_s
            .hypot(if extra_drift_sd.is_finite() {
                extra_drift_sd
            } else {
                0.0
            });
        let walks: Vec<Walk> = guides.iter().filter_map(|g| Walk::new(&g.points)).collect();
        let route_weight = if walks.is_empty() {
            0.0
        } else {
            route_weight.clamp(0.0, 1.0)
        };

        let end_pts: Vec<[f64; 2]> = ends
            .points
            .iter()
            .map(|p| flat.to_local(p[0], p[1]))
            .collect();
        let end_r2 = ends.radius_m * ends.radius_m;
        let mut met: Vec<bool> = vec![false; end_pts.len()];

        let steps = (c.horizon_s / c.step_s).ceil().max(1.0) as usize;
        let dt = c.step_s;
        let n = self.samples.len();
        let w = 1.0 / n as f64;
        let mut acc: Vec<AreaPrediction> = Vec::new();
        let mut visited: Vec<AreaId> = Vec::new();
        let mut n_route = 0usize;

        for i in 0..n {
            let (u, z) = (&self.samples.u[i], &self.samples.z[i]);
            let mut x = mean;
            for (r, xr) in x.iter_mut().enumerate() {
                for k in 0..=r {
                    *xr += l[r][k] * z[k];
                }
            }
            let (mut pe, mut pn) = (x[0], x[1]);
            let raw_speed = x[2].hypot(x[3]);
            let speed = raw_speed.min(c.max_speed_m_s);
            // Heading as a unit vector (east, north): rotating it by precomputed step
            // angles replaces a sin/cos per sample step, the predictor's main cost.
            let (mut hs, mut hc) = if raw_speed > 0.0 {
                (x[2] / raw_speed, x[3] / raw_speed)
            } else {
                (0.0, 1.0)
            };
            let route = (u[8] < route_weight).then(|| {
                let k = ((u[8] / route_weight) * walks.len() as f64) as usize;
                &walks[k.min(walks.len() - 1)]
            });
            let orbit = orbit.filter(|w| w.is_finite());
            let turning = orbit.is_some() || u[5] < p_man;
            let omega_turn = match orbit {
                Some(w) => w * (1.0 + c.orbit_rate_sd * z[4]),
                None if turning => turn_rate + sd_turn * z[4],
                None => 0.0,
            };
            let turn_dur = if orbit.is_some() {
                c.horizon_s
            } else {
                c.max_turn_s * u[6]
            };
            let drift = drift_sd * z[7];
            // The unseen waypoint turn: when (exponential law, hazard `turn_hazard`)
            // and by how much (the lower half of u[10] turns left, the upper right).
            let (leg_t, leg_rot) = if c.leg_turns && turn_hazard > 0.0 && orbit.is_none() {
                let t = -(1.0 - u[9]).ln() / turn_hazard;
                let (side, f) = if u[10] < 0.5 {
                    (-1.0, 2.0 * u[10])
                } else {
                    (1.0, 2.0 * u[10] - 1.0)
                };
                let deg = c.leg_turn_min_deg + (c.leg_turn_max_deg - c.leg_turn_min_deg) * f;
                (t, (side * deg).to_radians().sin_cos())
            } else {
                (f64::INFINITY, (0.0, 1.0))
            };
            // (sin, cos) of half and whole step angles while turning and after.
            let rot = |omega: f64| {
                let (s1, c1) = (omega * dt / 2.0).sin_cos();
                let (s2, c2) = (omega * dt).sin_cos();
                [s1, c1, s2, c2]
            };
            let (rot_turn, rot_drift) = (rot(omega_turn + drift), rot(drift));
            let offset = [
                pe - route.map_or(0.0, |r| r.pts[0][0]),
                pn - route.map_or(0.0, |r| r.pts[0][1]),
            ];
            if route.is_some() {
                n_route += 1;
            }
            visited.clear();
            // The sample ends at the `end_after`-th end point it meets: with
            // independent chances `p_end` per point, P(more than m) = (1 − p_end)^m.
            let end_after = if end_pts.is_empty() || ends.p_end <= 0.0 {
                usize::MAX
            } else {
                ((1.0 - u[11]).ln() / (1.0 - ends.p_end).ln())
                    .ceil()
                    .max(1.0) as usize
            };
            met.iter_mut().for_each(|m| *m = false);
            let mut n_met = 0usize;
            let mut last_set = u32::MAX;
            for k in 1..=steps {
                let tau = k as f64 * dt;
                if let Some(r) = route {
                    let decay = (1.0 - tau / ROUTE_OFFSET_DECAY_S).max(0.0);
                    let p = r.at(speed * tau);
                    pe = p[0] + offset[0] * decay;
                    pn = p[1] + offset[1] * decay;
                } else {
                    // Heading rate over this step: the turn (while it lasts) plus drift;
                    // the position advances along the midpoint heading (second-order
                    // accurate for the arc).
                    let t0 = tau - dt;
                    if (t0..tau).contains(&leg_t) {
                        // A waypoint turn takes tens of seconds at these speeds; at the
                        // step's resolution it is made at once.
                        let (s, c) = leg_rot;
                        (hs, hc) = (hs * c + hc * s, hc * c - hs * s);
                    }
                    let r = if t0 + dt <= turn_dur {
                        rot_turn
                    } else if t0 >= turn_dur {
                        rot_drift
                    } else {
                        // The step in which the turn ends: average rate, computed directly.
                        let f = (turn_dur - t0) / dt;
                        rot(omega_turn * f + drift)
                    };
                    let (ms, mc) = (hs * r[1] + hc * r[0], hc * r[1] - hs * r[0]);
                    pe += speed * dt * ms;
                    pn += speed * dt * mc;
                    let (ns, nc) = (hs * r[3] + hc * r[2], hc * r[3] - hs * r[2]);
                    // Renormalise against rounding drift over many steps.
                    let norm = (ns * ns + nc * nc).sqrt();
                    (hs, hc) = (ns / norm, nc / norm);
                }
                let mut ended = false;
                if end_after != usize::MAX {
                    for (j, q) in end_pts.iter().enumerate() {
                        if !met[j] && (q[0] - pe).powi(2) + (q[1] - pn).powi(2) <= end_r2 {
                            met[j] = true;
                            n_met += 1;
                        }
                    }
                    ended = n_met >= end_after;
                }
                let (lat, lon) = flat.to_geo(pe, pn);
                let set = self.grid.lookup(areas, lat, lon);
                if set != last_set && set != 0 {
                    for &a in self.grid.set(set) {
                        if visited.contains(&a) {
                            continue;
                        }
                        visited.push(a);
                        match acc.iter_mut().find(|p| p.area == a) {
                            Some(p) => p.etas.push((tau, w)),
                            None => acc.push(AreaPrediction {
                                area: a,
                                inside_now: false,
                                etas: vec![(tau, w)],
                            }),
                        }
                    }
                }
                last_set = set;
                if ended {
                    break;
                }
            }
        }
        // The estimate itself inside an area: entry is now, whatever the samples say.
        for a in areas.containing(lat0, lon0) {
            match acc.iter_mut().find(|p| p.area == a) {
                Some(p) => p.inside_now = true,
                None => acc.push(AreaPrediction {
                    area: a,
                    inside_now: true,
                    etas: Vec::new(),
                }),
            }
        }
        for p in &mut acc {
            p.etas.sort_by(|a, b| a.0.total_cmp(&b.0));
        }
        acc.sort_by_key(|p| p.area);
        TrackPrediction {
            track: e.id,
            t: e.t,
            p_threat,
            route_share: n_route as f64 / n as f64,
            areas: acc,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_hypercube_is_stratified_and_deterministic() {
        let a = SampleSet::latin_hypercube(16, 7);
        let b = SampleSet::latin_hypercube(16, 7);
        assert_eq!(a.u, b.u);
        for d in 0..DIMS {
            let mut col: Vec<f64> = a.u.iter().map(|r| r[d]).collect();
            col.sort_by(f64::total_cmp);
            for (i, v) in col.iter().enumerate() {
                assert!((v - (i as f64 + 0.5) / 16.0).abs() < 1e-12);
            }
            let mean: f64 = a.z.iter().map(|r| r[d]).sum::<f64>() / 16.0;
            assert!(mean.abs() < 1e-9, "normal column {d} not centred: {mean}");
        }
    }

    #[test]
    fn inverse_normal_known_values() {
        assert!(inv_norm_cdf(0.5).abs() < 1e-9);
        assert!((inv_norm_cdf(0.975) - 1.959_963_985).abs() < 1e-6);
        assert!((inv_norm_cdf(0.01) + 2.326_347_874).abs() < 1e-6);
    }

    #[test]
    fn cholesky_falls_back_on_bad_covariance() {
        let nan = [[f64::NAN; 4]; 4];
        let l = chol4(&nan, [4.0, 4.0, 1.0, 1.0]);
        assert_eq!(l[0][0], 2.0);
        assert_eq!(l[2][2], 1.0);
        let mut cov = [[0.0; 4]; 4];
        cov[0][0] = 100.0;
        cov[1][1] = 100.0;
        cov[2][2] = 4.0;
        cov[3][3] = 4.0;
        cov[0][2] = 10.0;
        cov[2][0] = 10.0;
        let l = chol4(&cov, [0.0; 4]);
        assert!((l[0][0] - 10.0).abs() < 1e-12);
        assert!((l[2][0] - 1.0).abs() < 1e-12);
        assert!((l[2][2] - 3.0f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn walk_interpolates_and_extends() {
        let w = Walk::new(&[[0.0, 0.0], [100.0, 0.0], [100.0, 100.0]]).unwrap();
        assert_eq!(w.at(50.0), [50.0, 0.0]);
        assert_eq!(w.at(150.0), [100.0, 50.0]);
        assert_eq!(w.at(250.0), [100.0, 150.0]);
    }
}
