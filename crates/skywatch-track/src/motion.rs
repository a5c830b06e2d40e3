//! Motion models (Stone Soup's *transition models*): how a state moves in `dt` seconds.
//!
//! The state is the same 7-vector for every model so that the IMM can mix modes without
//! padding: `[e, n, ve, vn, omega, u, vu]` in the track's local ENU frame (metres, m/s,
//! rad/s). `omega` is the turn rate, positive clockwise seen from above (heading, an
//! azimuth, increases), matching `TrackSnapshot::turn_rate`. The vertical channel
//! `(u, vu)` is a nearly-constant-velocity model weakly coupled to the horizontal one
//! only through the measurements (radar elevation, bearing elevation).

use nalgebra::{SMatrix, SVector};
use serde::Deserialize;

/// The filter state: `[e, n, ve, vn, omega, u, vu]`.
pub type State = SVector<f64, 7>;
/// Covariance of [`State`].
pub type Cov = SMatrix<f64, 7, 7>;

/// Index of east position in [`State`].
pub const E: usize = 0;
/// Index of north position.
pub const N: usize = 1;
/// Index of east velocity.
pub const VE: usize = 2;
/// Index of north velocity.
pub const VN: usize = 3;
/// Index of the turn rate.
pub const W: usize = 4;
/// Index of up position.
pub const U: usize = 5;
/// Index of up velocity.
pub const VU: usize = 6;

/// A motion model: mean propagation with its Jacobian, and process noise.
///
/// Implementations must accept negative `dt` (retrodiction for out-of-sequence
/// measurements): the mean is propagated backwards exactly, and `noise(|dt|)` is what
/// the caller adds.
pub trait MotionModel {
    /// Propagates `x` by `dt` seconds; returns the new mean and the Jacobian `F`.
    fn transition(&self, x: &State, dt: f64) -> (State, Cov);
    /// Process noise accumulated over `dt >= 0` seconds.
    fn noise(&self, x: &State, dt: f64) -> Cov;
}

/// Configuration of the nearly-constant-velocity model.
///
/// # Units
/// `sd_accel_h` and `sd_accel_v` are white-acceleration spectral densities' square roots,
/// m/s² (per √s); `sd_turn_rate` rad/s is the spread the CV mode keeps on its (zero) turn
/// rate so that mixing with the CT mode stays well conditioned.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NcvConfig {
    pub sd_accel_h: f64,
    pub sd_accel_v: f64,
    pub sd_turn_rate: f64,
}

impl Default for NcvConfig {
    fn default() -> Self {
        NcvConfig {
            sd_accel_h: 0.5,
            sd_accel_v: 0.5,
            sd_turn_rate: 0.002,
        }
    }
}

/// Nearly constant velocity with zero turn rate (the non-manoeuvring IMM mode).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ncv(pub NcvConfig);

/// Configuration of the coordinated-turn model.
///
/// # Units
/// `sd_accel_h`, `sd_accel_v` m/s² (per √s); `sd_turn_accel` rad/s² (per √s).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CtConfig {
    pub sd_accel_h: f64,
    pub sd_accel_v: f64,
    pub sd_turn_accel: f64,
}

impl Default for CtConfig {
    fn default() -> Self {
        CtConfig {
            sd_accel_h: 1.5,
            sd_accel_v: 0.5,
            sd_turn_accel: 0.01,
        }
    }
}

/// Coordinated turn at constant speed with the turn rate as a state (the manoeuvring
/// IMM mode).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoordinatedTurn(pub CtConfig);

/// White-acceleration noise for a (position, velocity) pair.
#[inline]
fn wna(q: &mut Cov, p: usize, v: usize, sd: f64, dt: f64) {
    let s2 = sd * sd;
    q[(p, p)] += s2 * dt * dt * dt / 3.0;
    q[(p, v)] += s2 * dt * dt / 2.0;
    q[(v, p)] += s2 * dt * dt / 2.0;
    q[(v, v)] += s2 * dt;
}

#[inline]
fn vertical(x: &mut State, f: &mut Cov, dt: f64) {
    x[U] += x[VU] * dt;
    f[(U, VU)] = dt;
}

impl MotionModel for Ncv {
    fn transition(&self, x: &State, dt: f64) -> (State, Cov) {
        let mut f = Cov::identity();
        let mut y = *x;
        y[E] += x[VE] * dt;
        y[N] += x[VN] * dt;
        f[(E, VE)] = dt;
        f[(N, VN)] = dt;
        // The CV mode has no turn: its turn rate is pinned at zero (row of zeros), its
        // variance is reset by `noise`.
        y[W] = 0.0;
        f[(W, W)] = 0.0;
        vertical(&mut y, &mut f, dt);
        (y, f)
    }

    fn noise(&self, _x: &State, dt: f64) -> Cov {
        let mut q = Cov::zeros();
        wna(&mut q, E, VE, self.0.sd_accel_h, dt);
        wna(&mut q, N, VN, self.0.sd_accel_h, dt);
        wna(&mut q, U, VU, self.0.sd_accel_v, dt);
        q[(W, W)] = self.0.sd_turn_rate * self.0.sd_turn_rate;
        q
    }
}

/// Mean of the coordinated turn; exact, with the straight-line limit for small turns.
#[inline]
fn ct_mean(x: &State, dt: f64, w: f64) -> State {
    let mut y = *x;
    let (ve, vn) = (x[VE], x[VN]);
    let wt = w * dt;
    // sin(wt)/w and (1 - cos(wt))/w, by series near zero to avoid 0/0.
    let (s_w, c_w) = if wt.abs() < 1e-6 {
        (dt * (1.0 - wt * wt / 6.0), dt * wt / 2.0)
    } else {
        (wt.sin() / w, (1.0 - wt.cos()) / w)
    };
    let (sn, cs) = wt.sin_cos();
    y[E] = x[E] + ve * s_w + vn * c_w;
    y[N] = x[N] + vn * s_w - ve * c_w;
    y[VE] = ve * cs + vn * sn;
    y[VN] = -ve * sn + vn * cs;
    y[U] = x[U] + x[VU] * dt;
    y
}

impl MotionModel for CoordinatedTurn {
    fn transition(&self, x: &State, dt: f64) -> (State, Cov) {
        let w = x[W];
        let y = ct_mean(x, dt, w);
        let mut f = Cov::identity();
        let wt = w * dt;
        let (s_w, c_w) = if wt.abs() < 1e-6 {
            (dt * (1.0 - wt * wt / 6.0), dt * wt / 2.0)
        } else {
            (wt.sin() / w, (1.0 - wt.cos()) / w)
        };
        let (sn, cs) = wt.sin_cos();
        f[(E, VE)] = s_w;
        f[(E, VN)] = c_w;
        f[(N, VE)] = -c_w;
        f[(N, VN)] = s_w;
        f[(VE, VE)] = cs;
        f[(VE, VN)] = sn;
        f[(VN, VE)] = -sn;
        f[(VN, VN)] = cs;
        // d/d(omega) by central difference: the analytic form has removable
        // singularities at omega = 0 that a difference handles without case analysis.
        let h = 1e-6;
        let yp = ct_mean(x, dt, w + h);
        let ym = ct_mean(x, dt, w - h);
        for i in [E, N, VE, VN] {
            f[(i, W)] = (yp[i] - ym[i]) / (2.0 * h);
        }
        f[(U, VU)] = dt;
        (y, f)
    }

    fn noise(&self, _x: &State, dt: f64) -> Cov {
        let mut q = Cov::zeros();
        wna(&mut q, E, VE, self.0.sd_accel_h, dt);
        wna(&mut q, N, VN, self.0.sd_accel_h, dt);
        wna(&mut q, U, VU, self.0.sd_accel_v, dt);
        q[(W, W)] = self.0.sd_turn_accel * self.0.sd_turn_accel * dt;
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ct_quarter_turn_clockwise_from_north_heads_east() {
        // Heading north at 50 m/s, turning clockwise at pi/2 over 10 s.
        let w = std::f64::consts::FRAC_PI_2 / 10.0;
        let x = State::from_column_slice(&[0.0, 0.0, 0.0, 50.0, w, 100.0, 0.0]);
        let (y, _) = CoordinatedTurn(CtConfig::default()).transition(&x, 10.0);
        let r = 50.0 / w;
        assert!((y[VE] - 50.0).abs() < 1e-9, "{y}");
        assert!(y[VN].abs() < 1e-9);
        assert!((y[E] - r).abs() < 1e-6 && (y[N] - r).abs() < 1e-6, "{y}");
        // Back again with negative dt.
        let (z, _) = CoordinatedTurn(CtConfig::default()).transition(&y, -10.0);
        assert!((z - x).norm() < 1e-6);
    }

    #[test]
    fn ct_with_zero_turn_equals_cv() {
        let x = State::from_column_slice(&[1.0, 2.0, 30.0, -40.0, 0.0, 100.0, 1.0]);
        let (a, fa) = CoordinatedTurn(CtConfig::default()).transition(&x, 3.0);
        let (b, _) = Ncv(NcvConfig::default()).transition(&x, 3.0);
        assert!((a - b).norm() < 1e-9);
        assert!((fa[(E, VE)] - 3.0).abs() < 1e-9);
        // d e / d omega at omega = 0 is vn * dt^2 / 2.
        assert!((fa[(E, W)] - (-40.0 * 4.5)).abs() < 1e-2, "{}", fa[(E, W)]);
    }
}
