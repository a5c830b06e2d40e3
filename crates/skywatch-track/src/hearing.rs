//! What "heard" means when a node declares how far it hears: initiation from one node's
//! bearings, and the reach constraint on tracks that only bearings locate.
//!
//! Why: a 4 km grid of acoustic nodes that each hear a drone out to 2.5 km mostly hears
//! it with one node at a time, so the rays of three nodes seldom meet (the mass-wave
//! scenario's north-east wave was heard for minutes by node after node and never
//! triangulated). But a node that hears something has located it to within its reach:
//! a bearing from a node with a 2.5 km reach is a 2.5 km segment, not a line to the
//! horizon. A target heard by one node, then the next, then the next, is tracked from
//! those segments, and the motion between nodes gives the rest.
//!
//! - *Initiation* ([`HeardPool`]): unexplained bearings of each node that declares a
//!   reach wait a few seconds; when enough of them, from different looks, agree in
//!   direction (allowing for a target's angular motion), a tentative track starts on the
//!   ray, at the mean range of a target heard somewhere on the disc (2/3 of the reach:
//!   more of the disc is far than near), with that uncertainty along the ray. The reach
//!   is a drone's: a node that takes what it hears for an aircraft (its class hint)
//!   hears something louder, perhaps from twice as far, so such bearings start nothing.
//! - *Reach constraint* ([`truncate_range`]): after a bearing update of a track that no
//!   plot or fix has located lately, the part of its range distribution beyond the
//!   node's reach is cut off and the Gaussian refitted to what remains (moment matching
//!   of the truncated normal, applied as the equivalent range pseudo-measurement). It
//!   acts only while a noticeable tail lies beyond the reach, so repeated bearings of a
//!   node do not pull the track towards the node.

use nalgebra::{Matrix3, Vector3};
use skywatch_geo::{LocalFrame, angle_diff_rad};

use crate::config::HearingConfig;
use crate::index::FxMap;
use crate::prepare::Origin;

/// An unexplained bearing of a node with a declared reach.
#[derive(Debug, Clone, Copy)]
pub struct Heard {
    pub t: f64,
    /// Azimuth and its sigma, radians.
    pub az: f64,
    pub sd_az: f64,
    /// Elevation and its sigma, radians.
    pub el: Option<(f64, f64)>,
    /// The node took it for an aircraft: louder than a drone, so heard from beyond the
    /// reach, which locates it no longer.
    pub loud: bool,
}

/// A track start from one node's bearings, in the node's local frame.
#[derive(Debug, Clone, Copy)]
pub struct Start {
    pub t: f64,
    pub frame: LocalFrame,
    /// Position (e, n, u) in `frame`, metres.
    pub pos: Vector3<f64>,
    /// Position covariance, m².
    pub cov: Matrix3<f64>,
    /// Bearings (different looks) that agreed.
    pub bearings: usize,
    /// The node's reach, metres.
    pub reach_m: f64,
}

/// Recent unexplained bearings, per node.
#[derive(Debug, Clone, Default)]
pub struct HeardPool {
    by_sensor: FxMap<u64, Vec<Heard>>,
}

impl HeardPool {
    /// Nodes with bearings waiting.
    pub fn len(&self) -> usize {
        self.by_sensor.len()
    }

    /// True if no bearing is waiting.
    pub fn is_empty(&self) -> bool {
        self.by_sensor.is_empty()
    }

    /// Adds an unexplained bearing of `sensor` (at `origin`, hearing out to `reach_m`
    /// slant range) and returns a track start if enough of the node's recent bearings
    /// agree with it. The bearings used are consumed.
    ///
    /// # Units
    /// `reach_m` metres; angles in `b` radians; times seconds.
    pub fn add(
        &mut self,
        sensor: u64,
        origin: &Origin,
        reach_m: f64,
        b: Heard,
        cfg: &HearingConfig,
    ) -> Option<Start> {
        let list = self.by_sensor.entry(sensor).or_default();
        list.retain(|h| (b.t - h.t).abs() <= cfg.window_s);
        let rate = cfg.max_rate_deg_s.to_radians();
        // Distinct looks that agree with the new bearing, counting the new one.
        let mut looks: Vec<f64> = vec![b.t];
        let mut loud = b.loud;
        // The start goes on the ray measured last, not on the one that came in last: a
        // node's reports arrive up to seconds late and out of order, and a track started
        // at a late-arriving old look is already that much older, so it timed out
        // before the next look came (south-wave-acoustic seed 22: a drone heard for 80 s
        // by one node was first started on a look 4 s late and lost at once).
        let mut newest = b;
        for h in list.iter() {
            let gate = cfg.agree_sigmas * (h.sd_az.powi(2) + b.sd_az.powi(2)).sqrt()
                + rate * (b.t - h.t).abs();
            if angle_diff_rad(b.az, h.az).abs() <= gate {
                loud |= h.loud;
                if h.t > newest.t {
                    newest = *h;
                }
                if looks.iter().all(|&t| (t - h.t).abs() >= cfg.min_look_gap_s) {
                    looks.push(h.t);
                }
            }
        }
        // An aircraft among them: the reach does not locate it (its ADS-B or the rays of
        // other nodes will).
        if loud || looks.len() < cfg.min_bearings.max(1) {
            list.push(b);
            return None;
        }
        list.retain(|h| !looks.contains(&h.t));
        Some(start_on_ray(origin, reach_m, &newest, looks.len(), cfg))
    }

    /// Forgets bearings measured before `t_min`.
    pub fn prune(&mut self, t_min: f64) {
        self.by_sensor.retain(|_, v| {
            v.retain(|h| h.t >= t_min);
            !v.is_empty()
        });
    }
}

/// The start on the newest ray: at `start_range_frac` of the reach (slant), with
/// `start_sd_frac` of it along the ray, the bearing's own spread across it, and the
/// elevation (if measured) or half the reach as vertical spread.
fn start_on_ray(
    origin: &Origin,
    reach_m: f64,
    b: &Heard,
    bearings: usize,
    cfg: &HearingConfig,
) -> Start {
    let r = cfg.start_range_frac.clamp(0.05, 1.0) * reach_m;
    let sd_r = cfg.start_sd_frac.clamp(0.05, 1.0) * reach_m;
    let (el, sd_el) = b.el.unwrap_or((0.0, 0.0));
    let el = el.clamp(0.0, 1.2);
    let (h, u) = (r * el.cos(), r * el.sin());
    let (s, c) = b.az.sin_cos();
    let along = Vector3::new(s, c, 0.0);
    let across = Vector3::new(c, -s, 0.0);
    let sd_x = (r * b.sd_az).max(1.0);
    let sd_u = if b.el.is_some() {
        (r * sd_el).max(sd_r * el.sin()).max(100.0)
    } else {
        0.5 * reach_m
    };
    let cov = along * along.transpose() * sd_r * sd_r
        + across * across.transpose() * sd_x * sd_x
        + Vector3::z() * Vector3::z().transpose() * sd_u * sd_u;
    Start {
        t: b.t,
        frame: LocalFrame::new(origin.geo),
        pos: Vector3::new(h * s, h * c, u),
        cov,
        bearings,
        reach_m,
    }
}

/// Standard normal density.
fn phi(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// Standard normal distribution function (Abramowitz and Stegun 7.1.26 for erfc,
/// absolute error below 1.5e-7).
fn big_phi(x: f64) -> f64 {
    let z = x.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * z);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erfc = poly * (-z * z).exp();
    if x >= 0.0 {
        1.0 - 0.5 * erfc
    } else {
        0.5 * erfc
    }
}

/// The range pseudo-measurement `(z, variance)` that turns a Gaussian range estimate
/// `N(mean, var)` into the moment-matched Gaussian of it truncated to `≤ reach`, or
/// `None` if less than `min_tail` of it lies beyond the reach (nothing worth doing).
///
/// For a scalar linear update, the posterior of prior `N(μ, σ²)` and measurement
/// `(z, v)` is `N(μ', σ'²)` with `1/σ'² = 1/σ² + 1/v` and `μ'/σ'² = μ/σ² + z/v`; solving
/// for `(z, v)` with `(μ', σ'²)` the truncated normal's moments gives the pseudo-
/// measurement, so the ordinary (E/U)KF update of a track applies the constraint in all
/// state dimensions through their correlation with range.
///
/// # Units
/// Metres and m².
pub fn truncate_range(mean: f64, var: f64, reach: f64, min_tail: f64) -> Option<(f64, f64)> {
    if !(var.is_finite() && var > 0.0 && mean.is_finite() && reach > 0.0) {
        return None;
    }
    let sd = var.sqrt();
    let beta = (reach - mean) / sd;
    let inside = big_phi(beta);
    if 1.0 - inside < min_tail || inside < 1e-3 {
        // Nothing beyond, or almost nothing inside: a mean more than 3 sigmas past the
        // reach is a track that is not this node's target (and the far tail of the
        // normal is where the erfc approximation stops being accurate).
        return None;
    }
    let lam = phi(beta) / inside;
    let mean2 = mean - sd * lam;
    let var2 = var * (1.0 - beta * lam - lam * lam);
    if !(var2 > 1e-9 * var && var2 < var) {
        return None;
    }
    let v = 1.0 / (1.0 / var2 - 1.0 / var);
    let z = v * (mean2 / var2 - mean / var);
    (z.is_finite() && v.is_finite()).then_some((z, v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use skywatch_geo::Geodetic;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// The cut never moves an estimate away from the node or widens it, and what
        /// it leaves has the truncated normal's moments (checked against a numerical
        /// integral).
        #[test]
        fn truncation_has_the_truncated_normal_s_moments(
            mean in 0.0f64..8000.0,
            sd in 50.0f64..3000.0,
            reach in 500.0f64..5000.0,
        ) {
            let var = sd * sd;
            if let Some((z, v)) = truncate_range(mean, var, reach, 0.05) {
                let k = var / (var + v);
                let mean2 = mean + k * (z - mean);
                let var2 = (1.0 - k) * var;
                prop_assert!(mean2 <= mean + 1e-9);
                prop_assert!(var2 < var);
                // Midpoint rule over [mean - 8 sd, reach].
                let lo = mean - 8.0 * sd;
                let n = 20_000;
                let h = (reach - lo) / n as f64;
                let (mut m0, mut m1, mut m2) = (0.0, 0.0, 0.0);
                for i in 0..n {
                    let x = lo + (i as f64 + 0.5) * h;
                    let w = phi((x - mean) / sd);
                    m0 += w;
                    m1 += w * x;
                    m2 += w * x * x;
                }
                let mu = m1 / m0;
                let s2 = m2 / m0 - mu * mu;
                prop_assert!((mean2 - mu).abs() < 1e-3 * sd + 0.5, "{mean2} vs {mu}");
                prop_assert!((var2 - s2).abs() < 1e-2 * var, "{var2} vs {s2}");
            } else {
                // Nothing done: little beyond the reach, or a mean hopelessly past it.
                let tail = 1.0 - big_phi((reach - mean) / sd);
                prop_assert!(tail < 0.05 || big_phi((reach - mean) / sd) < 1e-3);
            }
        }
    }

    fn cfg() -> HearingConfig {
        HearingConfig::default()
    }

    fn node() -> Origin {
        Origin::new(&Geodetic::new(37.5, 128.9, 30.0))
    }

    fn heard(t: f64, az_deg: f64) -> Heard {
        Heard {
            t,
            az: az_deg.to_radians(),
            sd_az: 4f64.to_radians(),
            el: None,
            loud: false,
        }
    }

    #[test]
    fn normal_distribution_function_matches_tables() {
        for (x, p) in [
            (0.0, 0.5),
            (1.0, 0.841_344_7),
            (-1.96, 0.024_997_9),
            (3.0, 0.998_650_1),
        ] {
            assert!((big_phi(x) - p).abs() < 2e-7, "Phi({x}) = {}", big_phi(x));
        }
    }

    #[test]
    fn a_late_look_starts_the_track_on_the_newest_ray() {
        // Looks at 5 s and 6 s came in first; the one taken at 2 s arrives last and
        // completes the three. The start is at 6 s on the 6 s ray: started at 2 s, the
        // track would be 4 s old, and out of its tentative time, on arrival.
        let mut pool = HeardPool::default();
        let c = cfg();
        assert!(
            pool.add(1, &node(), 2500.0, heard(5.0, 100.0), &c)
                .is_none()
        );
        assert!(
            pool.add(1, &node(), 2500.0, heard(6.0, 103.0), &c)
                .is_none()
        );
        let s = pool
            .add(1, &node(), 2500.0, heard(2.0, 91.0), &c)
            .expect("start");
        assert_eq!(s.bearings, 3);
        assert_eq!(s.t, 6.0);
        let az = s.pos.x.atan2(s.pos.y).to_degrees();
        assert!((az - 103.0).abs() < 1e-6, "azimuth {az}");
    }

    #[test]
    fn agreeing_looks_of_one_node_start_a_track_at_two_thirds_of_its_reach() {
        let mut pool = HeardPool::default();
        let c = cfg();
        assert!(pool.add(1, &node(), 2500.0, heard(0.0, 90.0), &c).is_none());
        assert!(pool.add(1, &node(), 2500.0, heard(1.0, 92.0), &c).is_none());
        let s = pool
            .add(1, &node(), 2500.0, heard(2.0, 94.0), &c)
            .expect("start");
        assert_eq!(s.bearings, 3);
        assert_eq!(s.t, 2.0);
        let r = s.pos.xy().norm();
        assert!((r - 2500.0 * c.start_range_frac).abs() < 1.0, "range {r}");
        // East of the node, on the newest ray.
        assert!((s.pos.y.atan2(s.pos.x) - (-4f64).to_radians()).abs() < 1e-9);
        // Along the ray (east) the spread is the reach's; across it, the bearing's.
        assert!((s.cov[(0, 0)].sqrt() - 2500.0 * c.start_sd_frac).abs() < 60.0);
        assert!(s.cov[(1, 1)].sqrt() < 200.0);
        // The bearings used are consumed: the next one alone starts nothing.
        assert!(pool.add(1, &node(), 2500.0, heard(3.0, 96.0), &c).is_none());
    }

    #[test]
    fn sparse_looks_at_the_edge_of_the_reach_still_start_a_track() {
        // One look every 4.5 s, as a node hears a drone near the edge of its reach.
        let c = cfg();
        let mut pool = HeardPool::default();
        assert!(pool.add(1, &node(), 2500.0, heard(0.0, 90.0), &c).is_none());
        assert!(pool.add(1, &node(), 2500.0, heard(4.5, 93.0), &c).is_none());
        let s = pool
            .add(1, &node(), 2500.0, heard(9.0, 96.0), &c)
            .expect("three looks within the window start a track");
        assert_eq!(s.bearings, 3);
        // With the old 6 s window the first look had left when the third came.
        let old = HearingConfig {
            window_s: 6.0,
            ..cfg()
        };
        let mut pool = HeardPool::default();
        for (t, az) in [(0.0, 90.0), (4.5, 93.0), (9.0, 96.0)] {
            assert!(pool.add(1, &node(), 2500.0, heard(t, az), &old).is_none());
        }
    }

    #[test]
    fn scattered_or_same_look_bearings_start_nothing() {
        let c = cfg();
        let mut pool = HeardPool::default();
        // Three directions that do not agree (false bearings).
        assert!(pool.add(1, &node(), 2500.0, heard(0.0, 10.0), &c).is_none());
        assert!(
            pool.add(1, &node(), 2500.0, heard(1.0, 130.0), &c)
                .is_none()
        );
        assert!(
            pool.add(1, &node(), 2500.0, heard(2.0, 250.0), &c)
                .is_none()
        );
        // Three agreeing bearings of one look (one scan) are one look.
        let mut pool = HeardPool::default();
        for k in 0..3 {
            assert!(
                pool.add(2, &node(), 2500.0, heard(5.0 + 0.1 * k as f64, 40.0), &c)
                    .is_none()
            );
        }
        // Bearings of two nodes never combine here (that is triangulation's job).
        let mut pool = HeardPool::default();
        assert!(pool.add(3, &node(), 2500.0, heard(0.0, 40.0), &c).is_none());
        assert!(pool.add(4, &node(), 2500.0, heard(1.0, 40.0), &c).is_none());
        assert!(pool.add(5, &node(), 2500.0, heard(2.0, 40.0), &c).is_none());
        // One of them taken for an aircraft: nothing starts while it is in the window.
        let mut pool = HeardPool::default();
        let loud = Heard {
            loud: true,
            ..heard(0.0, 40.0)
        };
        assert!(pool.add(7, &node(), 2500.0, loud, &c).is_none());
        for k in 1..6 {
            assert!(
                pool.add(7, &node(), 2500.0, heard(k as f64, 40.0), &c)
                    .is_none()
            );
        }
        assert!(
            pool.add(7, &node(), 2500.0, heard(c.window_s + 0.5, 40.0), &c)
                .is_some()
        );
        // Old bearings fall out of the window.
        let mut pool = HeardPool::default();
        assert!(pool.add(6, &node(), 2500.0, heard(0.0, 40.0), &c).is_none());
        assert!(pool.add(6, &node(), 2500.0, heard(1.0, 40.0), &c).is_none());
        assert!(
            pool.add(6, &node(), 2500.0, heard(1.0 + c.window_s + 1.5, 40.0), &c)
                .is_none()
        );
        pool.prune(100.0);
        assert!(pool.is_empty());
    }

    #[test]
    fn truncation_pulls_a_far_estimate_inside_the_reach_and_leaves_a_near_one() {
        // Mean well inside: nothing to do.
        assert!(truncate_range(1000.0, 300.0f64.powi(2), 2500.0, 0.05).is_none());
        // Mean at the reach with a wide spread: the cut halves it.
        let (var, reach) = (1500.0f64.powi(2), 2500.0);
        let (z, v) = truncate_range(2500.0, var, reach, 0.05).expect("cut");
        let k = var / (var + v);
        let mean2 = 2500.0 + k * (z - 2500.0);
        let var2 = (1.0 - k) * var;
        // Half-normal: mean mu - sd*sqrt(2/pi), variance sd^2 (1 - 2/pi).
        let sd = var.sqrt();
        assert!((mean2 - (2500.0 - sd * (2.0 / std::f64::consts::PI).sqrt())).abs() < 1.0);
        assert!((var2 - var * (1.0 - 2.0 / std::f64::consts::PI)).abs() < 1e-3 * var);
        // A mean far beyond the reach is not this node's target: no cut.
        assert!(truncate_range(40_000.0, 500.0f64.powi(2), 2500.0, 0.05).is_none());
    }
}
