//! Track initiation from bearings alone (Stone Soup's *initiator* for passive sensors).
//!
//! Bearings that no track explains wait in a short-lived pool. A new one is intersected
//! with the pooled rays of *other* sensors nearby; an intersection only counts if
//! further independent bearings pass through it (ghost suppression: two drones seen by
//! two nodes make four intersections, two of them phantoms; a phantom rarely has a
//! third ray through it, a real drone heard by three nodes always has). Bearings that
//! existing tracks explain never enter the pool, so rays of known targets cannot
//! combine into ghosts either. The bearings used are consumed.

use nalgebra::{Matrix2, Vector2, Vector3};
use skywatch_geo::LocalFrame;

use crate::config::InitiationConfig;
use crate::index::Grid;
use crate::prepare::Origin;

/// An unexplained bearing.
#[derive(Debug, Clone, Copy)]
pub struct Pooled {
    pub t: f64,
    pub sensor: u64,
    pub origin: Origin,
    /// Azimuth and its sigma, radians.
    pub az: f64,
    pub sd_az: f64,
    /// Elevation and its sigma, radians.
    pub el: Option<(f64, f64)>,
    used: bool,
}

impl Pooled {
    pub fn new(
        t: f64,
        sensor: u64,
        origin: Origin,
        az: f64,
        sd_az: f64,
        el: Option<(f64, f64)>,
    ) -> Self {
        Pooled {
            t,
            sensor,
            origin,
            az,
            sd_az,
            el,
            used: false,
        }
    }
}

/// A point located by triangulation, in the local frame of the newest bearing's sensor.
#[derive(Debug, Clone, Copy)]
pub struct Fix {
    pub t: f64,
    pub frame: LocalFrame,
    /// Position (e, n, u) in `frame`, metres.
    pub pos: Vector3<f64>,
    /// Horizontal covariance, m².
    pub cov_h: Matrix2<f64>,
    /// Vertical one sigma, metres.
    pub sd_u: f64,
    /// Independent sensors whose bearings met there.
    pub sensors: usize,
}

/// The pool of unexplained bearings, spatially hashed by sensor position.
#[derive(Debug, Clone)]
pub struct BearingPool {
    items: Vec<Pooled>,
    grid: Grid,
    cell_m: f64,
    cands: Vec<(u32, Vector2<f64>, Vector2<f64>)>,
    members: Vec<(u32, u64)>,
}

struct Candidate {
    point: Vector2<f64>,
    members: usize,
    residual: f64,
    first: u32,
}

#[inline]
fn cross(a: &Vector2<f64>, b: &Vector2<f64>) -> f64 {
    a.x * b.y - a.y * b.x
}

impl BearingPool {
    /// # Units
    /// `range_m`: farthest a bearing sensor hears a target, metres.
    pub fn new(range_m: f64) -> Self {
        let cell_m = (2.0 * range_m).max(1000.0);
        BearingPool {
            items: Vec::new(),
            grid: Grid::new(cell_m),
            cell_m,
            cands: Vec::new(),
            members: Vec::new(),
        }
    }

    /// Number of bearings waiting.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True if no bearing is waiting.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Forgets used bearings and those measured before `t_min`; rebuilds the index.
    pub fn prune(&mut self, t_min: f64) {
        self.items.retain(|p| !p.used && p.t >= t_min);
        self.grid.clear();
        for (i, p) in self.items.iter().enumerate() {
            self.grid.insert(&p.origin.ecef, i as u32);
        }
    }

    /// Adds a bearing and tries to locate a target with it. `range_m` bounds how far
    /// along each ray an intersection may be.
    pub fn add(&mut self, b: Pooled, cfg: &InitiationConfig, range_m: f64) -> Option<Fix> {
        let idx = self.items.len() as u32;
        self.items.push(b);
        self.grid.insert(&b.origin.ecef, idx);
        // Rays of other sensors, within reach and time, in b's tangent plane.
        self.cands.clear();
        let items = &self.items;
        let cands = &mut self.cands;
        let rot_b = b.origin.rot;
        self.grid.query(&b.origin.ecef, 2.0 * range_m, |i| {
            let c = &items[i as usize];
            if i == idx
                || c.used
                || c.sensor == b.sensor
                || (c.t - b.t).abs() > cfg.triangulation_window_s
            {
                return;
            }
            let o = rot_b * (c.origin.ecef - b.origin.ecef);
            let d = rot_b * c.origin.rot.transpose() * Vector3::new(c.az.sin(), c.az.cos(), 0.0);
            let d2 = Vector2::new(d.x, d.y);
            let n = d2.norm();
            if n > 0.0 && o.xy().norm() <= 2.0 * range_m {
                cands.push((i, o.xy(), d2 / n));
            }
        });
        if self.cands.len() + 1 < cfg.min_bearings.max(2) {
            return None;
        }
        let db = Vector2::new(b.az.sin(), b.az.cos());
        let min_cross = cfg.min_crossing_deg.to_radians().sin();
        let mut best: Option<Candidate> = None;
        for (ci, &(_, oc, dc)) in self.cands.iter().enumerate() {
            let x = cross(&db, &dc);
            if x.abs() < min_cross {
                continue;
            }
            let s = cross(&oc, &dc) / x;
            let u = cross(&oc, &db) / x;
            if !(50.0..=range_m).contains(&s) || !(50.0..=range_m).contains(&u) {
                continue;
            }
            let p = db * s;
            // Independent support through p.
            self.members.clear();
            self.members.push((idx, b.sensor));
            self.members.push((
                self.cands[ci].0,
                items_sensor(&self.items, self.cands[ci].0),
            ));
            let mut residual = 0.0;
            for &(k, ok, dk) in &self.cands {
                let sk = items_sensor(&self.items, k);
                if self.members.iter().any(|&(_, s)| s == sk) {
                    continue;
                }
                let v = p - ok;
                let r = v.norm();
                if r > range_m || dk.dot(&v) <= 0.0 {
                    continue;
                }
                let ang = cross(&dk, &v).atan2(dk.dot(&v));
                let sd = self.items[k as usize].sd_az;
                if ang.abs() <= cfg.support_sigmas * sd {
                    residual += (ang / sd).powi(2);
                    self.members.push((k, sk));
                }
            }
            let m = self.members.len();
            let better = match &best {
                None => true,
                Some(bst) => m > bst.members || (m == bst.members && residual < bst.residual),
            };
            if better {
                best = Some(Candidate {
                    point: p,
                    members: m,
                    residual,
                    first: ci as u32,
                });
            }
        }
        let best = best?;
        if best.members < cfg.min_bearings.max(2) {
            return None;
        }
        // Recompute the member list of the winner and refine by least squares.
        self.members.clear();
        self.members.push((idx, b.sensor));
        let (c0, _, _) = self.cands[best.first as usize];
        self.members.push((c0, items_sensor(&self.items, c0)));
        for &(k, ok, dk) in &self.cands {
            let sk = items_sensor(&self.items, k);
            if self.members.iter().any(|&(_, s)| s == sk) {
                continue;
            }
            let v = best.point - ok;
            if v.norm() > range_m || dk.dot(&v) <= 0.0 {
                continue;
            }
            let ang = cross(&dk, &v).atan2(dk.dot(&v));
            if ang.abs() <= cfg.support_sigmas * self.items[k as usize].sd_az {
                self.members.push((k, sk));
            }
        }
        let ray = |k: u32| -> (Vector2<f64>, Vector2<f64>, f64, Vector3<f64>) {
            if k == idx {
                return (Vector2::zeros(), db, b.sd_az, Vector3::zeros());
            }
            let (_, o, d) =
                *self
                    .cands
                    .iter()
                    .find(|c| c.0 == k)
                    .unwrap_or(&(k, Vector2::zeros(), db));
            let o3 = rot_b * (self.items[k as usize].origin.ecef - b.origin.ecef);
            (o, d, self.items[k as usize].sd_az, o3)
        };
        let mut p = best.point;
        let mut info = Matrix2::zeros();
        for _ in 0..2 {
            let mut a = Matrix2::zeros();
            let mut rhs = Vector2::zeros();
            for &(k, _) in &self.members {
                let (o, d, sd, _) = ray(k);
                let r = (p - o).norm().max(100.0);
                let n = Vector2::new(d.y, -d.x);
                let w = 1.0 / (sd * sd * r * r);
                let nn = n * n.transpose() * w;
                a += nn;
                rhs += nn * o;
            }
            let inv = a.try_inverse()?;
            p = inv * rhs;
            info = a;
        }
        if !p.iter().all(|v| v.is_finite()) {
            return None;
        }
        let cov = info.try_inverse()? * 2.0 + Matrix2::identity() * 900.0;
        // Height from elevations where given, else the prior.
        let (mut wsum, mut usum) = (0.0, 0.0);
        for &(k, _) in &self.members {
            let (o, _, _, o3) = ray(k);
            let it = if k == idx { b } else { self.items[k as usize] };
            if let Some((el, sd_el)) = it.el {
                let r = (p - o).norm().max(100.0);
                let u = o3.z + r * el.tan();
                let sd = r * sd_el / el.cos().powi(2).max(0.05);
                let w = 1.0 / (sd * sd);
                wsum += w;
                usum += w * u;
            }
        }
        let (u, sd_u) = if wsum > 0.0 {
            (usum / wsum, (1.0 / wsum).sqrt().max(50.0) * 1.5)
        } else {
            (cfg.prior_alt_m - b.origin.alt_m, cfg.prior_sd_alt_m)
        };
        let sensors = self.members.len();
        for &(k, _) in &self.members {
            self.items[k as usize].used = true;
        }
        Some(Fix {
            t: b.t,
            frame: LocalFrame::new(b.origin.geo),
            pos: Vector3::new(p.x, p.y, u),
            cov_h: cov,
            sd_u,
            sensors,
        })
    }

    /// Cell edge of the pool's index, metres.
    pub fn cell_m(&self) -> f64 {
        self.cell_m
    }
}

#[inline]
fn items_sensor(items: &[Pooled], k: u32) -> u64 {
    items[k as usize].sensor
}
