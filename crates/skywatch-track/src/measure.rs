//! Measurement models and the Kalman update (Stone Soup's *measurement models* and
//! *updaters*), EKF and UKF, with the out-of-sequence (retrodicted) form.
//!
//! Every model sees the state in the track's own ENU frame; sensor geometry is brought
//! into that frame once per (report, track) pair by [`SensorGeom`], so earth curvature
//! between a sensor and a track several hundred kilometres apart is exact (the rotation
//! between the two tangent planes is applied), not a flat-earth approximation.

use nalgebra::{Matrix3, SMatrix, SVector, Vector3};
use serde::Deserialize;
use skywatch_geo::{LocalFrame, angle_diff_rad};

use crate::motion::{Cov, E, MotionModel, N, State, U, VE, VN, VU};

/// Which Kalman filter linearises the non-linear measurements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum FilterKind {
    /// Extended Kalman filter: first-order Jacobians. Cheapest; fine when the
    /// cross-range uncertainty is small against the range.
    #[default]
    Ekf,
    /// Unscented Kalman filter (15 sigma points): better for bearings at short range
    /// with a wide prior, about 4x the cost of the EKF per update.
    Ukf,
}

/// A sensor's position and axes as seen from a track's frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SensorGeom {
    /// Sensor position in the track's ENU frame, metres.
    pub pos: Vector3<f64>,
    /// Rotation from the track's ENU axes to the sensor's ENU axes.
    pub rot: Matrix3<f64>,
}

impl SensorGeom {
    /// Geometry of a sensor (its ECEF position and ECEF->ENU rotation) in `frame`.
    #[inline]
    pub fn new(frame: &LocalFrame, sensor_ecef: &Vector3<f64>, sensor_rot: &Matrix3<f64>) -> Self {
        SensorGeom {
            pos: frame.ecef_to_enu(sensor_ecef),
            rot: sensor_rot * frame.rotation().transpose(),
        }
    }

    /// Offset of the state's position from the sensor, in the sensor's ENU axes.
    #[inline]
    pub fn offset(&self, x: &State) -> Vector3<f64> {
        self.rot * (Vector3::new(x[E], x[N], x[U]) - self.pos)
    }
}

/// A measurement model of dimension `M` (Stone Soup's `MeasurementModel`).
pub trait MeasurementModel<const M: usize> {
    /// The measured vector.
    fn z(&self) -> SVector<f64, M>;
    /// Predicted measurement for a state.
    fn h(&self, x: &State) -> SVector<f64, M>;
    /// Jacobian of `h` at `x`.
    fn jacobian(&self, x: &State) -> SMatrix<f64, M, 7>;
    /// `a - b`, wrapping angular components.
    fn residual(&self, a: &SVector<f64, M>, b: &SVector<f64, M>) -> SVector<f64, M>;
    /// Measurement noise covariance.
    fn noise(&self) -> SMatrix<f64, M, M>;
}

/// One component of an angular measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comp {
    /// Slant range, metres.
    Range,
    /// Azimuth, radians clockwise from north.
    Az,
    /// Elevation, radians.
    El,
}

/// Range / azimuth / elevation (any subset) from a sensor: radar 3D (`M = 3`), radar 2D
/// (range, azimuth), bearing (azimuth, optionally elevation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Polar<const M: usize> {
    pub geom: SensorGeom,
    pub comps: [Comp; M],
    pub z: SVector<f64, M>,
    /// One sigma per component, in the component's unit.
    pub sd: SVector<f64, M>,
}

/// Range, azimuth, elevation of an offset in sensor axes, and its Jacobian.
#[inline]
fn aer(d: &Vector3<f64>) -> (Vector3<f64>, Matrix3<f64>) {
    let h2 = (d.x * d.x + d.y * d.y).max(1e-6);
    let h = h2.sqrt();
    let r2 = h2 + d.z * d.z;
    let r = r2.sqrt();
    let az = d.x.atan2(d.y);
    let el = d.z.atan2(h);
    let j = Matrix3::new(
        d.x / r,
        d.y / r,
        d.z / r,
        d.y / h2,
        -d.x / h2,
        0.0,
        -d.x * d.z / (r2 * h),
        -d.y * d.z / (r2 * h),
        h / r2,
    );
    (Vector3::new(r, az, el), j)
}

#[inline]
fn comp_row(c: Comp) -> usize {
    match c {
        Comp::Range => 0,
        Comp::Az => 1,
        Comp::El => 2,
    }
}

impl<const M: usize> MeasurementModel<M> for Polar<M> {
    fn z(&self) -> SVector<f64, M> {
        self.z
    }

    fn h(&self, x: &State) -> SVector<f64, M> {
        let (v, _) = aer(&self.geom.offset(x));
        SVector::from_fn(|i, _| v[comp_row(self.comps[i])])
    }

    fn jacobian(&self, x: &State) -> SMatrix<f64, M, 7> {
        let (_, j) = aer(&self.geom.offset(x));
        let jp = j * self.geom.rot;
        let mut h = SMatrix::<f64, M, 7>::zeros();
        for i in 0..M {
            let row = comp_row(self.comps[i]);
            h[(i, E)] = jp[(row, 0)];
            h[(i, N)] = jp[(row, 1)];
            h[(i, U)] = jp[(row, 2)];
        }
        h
    }

    fn residual(&self, a: &SVector<f64, M>, b: &SVector<f64, M>) -> SVector<f64, M> {
        SVector::from_fn(|i, _| match self.comps[i] {
            Comp::Az => angle_diff_rad(a[i], b[i]),
            _ => a[i] - b[i],
        })
    }

    fn noise(&self) -> SMatrix<f64, M, M> {
        SMatrix::from_diagonal(&self.sd.component_mul(&self.sd))
    }
}

/// A linear measurement of some state components: position fix (`e, n, u`) or ADS-B
/// (`e, n, u, ve, vn, vu`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Linear<const M: usize> {
    pub idx: [usize; M],
    pub z: SVector<f64, M>,
    pub sd: SVector<f64, M>,
}

/// State indices measured by a position fix.
pub const POS_IDX: [usize; 3] = [E, N, U];
/// State indices measured by an ADS-B message with velocity.
pub const POS_VEL_IDX: [usize; 6] = [E, N, U, VE, VN, VU];

impl<const M: usize> MeasurementModel<M> for Linear<M> {
    fn z(&self) -> SVector<f64, M> {
        self.z
    }
    fn h(&self, x: &State) -> SVector<f64, M> {
        SVector::from_fn(|i, _| x[self.idx[i]])
    }
    fn jacobian(&self, _x: &State) -> SMatrix<f64, M, 7> {
        let mut h = SMatrix::<f64, M, 7>::zeros();
        for i in 0..M {
            h[(i, self.idx[i])] = 1.0;
        }
        h
    }
    fn residual(&self, a: &SVector<f64, M>, b: &SVector<f64, M>) -> SVector<f64, M> {
        a - b
    }
    fn noise(&self) -> SMatrix<f64, M, M> {
        SMatrix::from_diagonal(&self.sd.component_mul(&self.sd))
    }
}

/// The innovation of one measurement against one (mode of a) track, ready to apply.
#[derive(Debug, Clone, Copy)]
pub struct Innovation<const M: usize> {
    /// Measurement residual `z - h(x)`.
    pub y: SVector<f64, M>,
    /// Innovation covariance.
    pub s: SMatrix<f64, M, M>,
    /// Inverse of `s`.
    pub s_inv: SMatrix<f64, M, M>,
    /// Cross covariance of state and measurement.
    pub pxz: SMatrix<f64, 7, M>,
    /// Squared Mahalanobis distance `y' S^-1 y`.
    pub d2: f64,
    /// `ln det S`.
    pub ln_det_s: f64,
}

impl<const M: usize> Innovation<M> {
    /// Gaussian log-likelihood of the measurement (up to the constant `-M/2 ln 2 pi`).
    #[inline]
    pub fn log_likelihood(&self) -> f64 {
        -0.5 * (self.d2 + self.ln_det_s)
    }

    /// Applies the update to `(x, p)`: `x += K y`, `P -= K S K'`.
    #[inline]
    pub fn apply(&self, x: &mut State, p: &mut Cov) {
        let k = self.pxz * self.s_inv;
        *x += k * self.y;
        *p -= k * self.s * k.transpose();
        *p = (*p + p.transpose()) * 0.5;
    }
}

/// For a measurement older than the state: the state is retrodicted to the measurement
/// time (mean exactly, by the motion model with negative `dt`) and the innovation is
/// computed there, with the process noise of the gap added to `S` (Bar-Shalom's
/// one-step "Bl" approximation: no stored history, so bounded memory, at the cost of
/// slightly conservative gains for very late reports). The update is then applied to
/// the *current* state through the cross covariance `P F_b'`.
#[derive(Debug, Clone, Copy)]
pub struct Retro<'a, MM: MotionModel> {
    pub model: &'a MM,
    /// Measurement time minus state time, seconds (negative).
    pub dt: f64,
}

#[inline]
fn finish<const M: usize>(
    y: SVector<f64, M>,
    s: SMatrix<f64, M, M>,
    pxz: SMatrix<f64, 7, M>,
) -> Option<Innovation<M>> {
    let s = (s + s.transpose()) * 0.5;
    let chol = s.cholesky()?;
    let s_inv = chol.inverse();
    let ln_det_s = 2.0 * chol.l().diagonal().iter().map(|d| d.ln()).sum::<f64>();
    let d2 = (y.transpose() * s_inv * y)[(0, 0)];
    if !d2.is_finite() || !ln_det_s.is_finite() {
        return None;
    }
    Some(Innovation {
        y,
        s,
        s_inv,
        pxz,
        d2,
        ln_det_s,
    })
}

/// EKF innovation of `model` against `(x, p)`, optionally retrodicted.
pub fn innovate_ekf<const M: usize, MM: MotionModel>(
    model: &impl MeasurementModel<M>,
    x: &State,
    p: &Cov,
    retro: Option<Retro<'_, MM>>,
) -> Option<Innovation<M>> {
    let r = model.noise();
    match retro {
        None => {
            let h = model.jacobian(x);
            let y = model.residual(&model.z(), &model.h(x));
            let pxz = p * h.transpose();
            finish(y, h * pxz + r, pxz)
        }
        Some(rt) => {
            let (xb, fb) = rt.model.transition(x, rt.dt);
            let q = rt.model.noise(&xb, -rt.dt);
            let h = model.jacobian(&xb);
            let heff = h * fb;
            let y = model.residual(&model.z(), &model.h(&xb));
            let pxz = p * heff.transpose();
            finish(y, heff * pxz + h * q * h.transpose() + r, pxz)
        }
    }
}

/// UKF innovation (symmetric sigma points, `lambda = 0`, `beta = 2`); falls back to the
/// EKF when the covariance is not positive definite.
pub fn innovate_ukf<const M: usize, MM: MotionModel>(
    model: &impl MeasurementModel<M>,
    x: &State,
    p: &Cov,
    retro: Option<Retro<'_, MM>>,
) -> Option<Innovation<M>> {
    let Some(chol) = (p * 7.0).cholesky() else {
        return innovate_ekf(model, x, p, retro);
    };
    let l = chol.l();
    let w = 1.0 / 14.0;
    let through = |s: &State| -> SVector<f64, M> {
        match &retro {
            None => model.h(s),
            Some(rt) => model.h(&rt.model.transition(s, rt.dt).0),
        }
    };
    let z0 = through(x);
    let mut zs = [SVector::<f64, M>::zeros(); 14];
    let mut dxs = [State::zeros(); 14];
    // Mean of the sigma-point measurements as residuals about z0 (angle-safe).
    let mut mean_res = SVector::<f64, M>::zeros();
    for i in 0..7 {
        let col: State = l.column(i).into_owned();
        for (k, sign) in [(2 * i, 1.0), (2 * i + 1, -1.0)] {
            dxs[k] = col * sign;
            let zi = through(&(x + dxs[k]));
            zs[k] = model.residual(&zi, &z0);
            mean_res += zs[k] * w;
        }
    }
    let mut s = model.noise();
    let mut pxz = SMatrix::<f64, 7, M>::zeros();
    // beta = 2 puts weight 2 on the centre point's covariance term.
    let c0 = -mean_res;
    s += c0 * c0.transpose() * 2.0;
    for k in 0..14 {
        let dz = zs[k] - mean_res;
        s += dz * dz.transpose() * w;
        pxz += dxs[k] * dz.transpose() * w;
    }
    if let Some(rt) = retro {
        let (xb, _) = rt.model.transition(x, rt.dt);
        let q = rt.model.noise(&xb, -rt.dt);
        let h = model.jacobian(&xb);
        s += h * q * h.transpose();
    }
    let y = model.residual(&model.z(), &z0) - mean_res;
    finish(y, s, pxz)
}

/// Innovation by the configured filter kind.
#[inline]
pub fn innovate<const M: usize, MM: MotionModel>(
    kind: FilterKind,
    model: &impl MeasurementModel<M>,
    x: &State,
    p: &Cov,
    retro: Option<Retro<'_, MM>>,
) -> Option<Innovation<M>> {
    match kind {
        FilterKind::Ekf => innovate_ekf(model, x, p, retro),
        FilterKind::Ukf => innovate_ukf(model, x, p, retro),
    }
}
