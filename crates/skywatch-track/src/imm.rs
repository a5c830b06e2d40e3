//! The interacting multiple model (IMM) filter over the two motion modes: nearly
//! constant velocity (mode 0) and coordinated turn (mode 1) (Stone Soup's *predictor*
//! and *updater* for a mixture; Blom & Bar-Shalom 1988).
//!
//! Why IMM and not a single CT filter: a CT filter with a wide turn-rate noise is
//! noisy on straight legs (most of a drone's route), a CV filter lags through turns;
//! the IMM switches between them with a manoeuvre probability that the warning engine
//! also uses (`TrackSnapshot::p_manoeuvre`).

use serde::Deserialize;

use crate::measure::{FilterKind, Innovation, MeasurementModel, Retro, innovate};
use crate::motion::{CoordinatedTurn, Cov, CtConfig, MotionModel, Ncv, NcvConfig, State};

/// Configuration of the IMM.
///
/// # Units
/// `sojourn_cv_s`, `sojourn_ct_s`: mean time spent in a mode before switching, seconds.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImmConfig {
    pub ncv: NcvConfig,
    pub ct: CtConfig,
    pub sojourn_cv_s: f64,
    pub sojourn_ct_s: f64,
    pub filter: FilterKind,
}

impl Default for ImmConfig {
    fn default() -> Self {
        ImmConfig {
            ncv: NcvConfig::default(),
            ct: CtConfig::default(),
            sojourn_cv_s: 60.0,
            sojourn_ct_s: 15.0,
            filter: FilterKind::Ekf,
        }
    }
}

/// The two motion models, built once from the configuration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Imm {
    pub cv: Ncv,
    pub ct: CoordinatedTurn,
    pub cfg: ImmConfig,
}

impl Imm {
    pub fn new(cfg: ImmConfig) -> Self {
        Imm {
            cv: Ncv(cfg.ncv),
            ct: CoordinatedTurn(cfg.ct),
            cfg,
        }
    }
}

/// A Gaussian mixture over the two modes, at time `t`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImmState {
    pub t: f64,
    pub x: [State; 2],
    pub p: [Cov; 2],
    /// Mode probabilities, summing to 1.
    pub mu: [f64; 2],
    /// The moment-matched mean and covariance of the mixture, kept up to date by every
    /// method that changes the modes (call [`ImmState::refresh`] after editing `x` or
    /// `p` directly): gating reads it for every candidate report, so it is computed
    /// once per update rather than once per gate.
    cx: State,
    cp: Cov,
}

/// Accumulator of a probabilistic data association (PDA) update of both modes: the
/// sums over reports `j` of `βⱼ Pⱼ`, `βⱼ dⱼ`, `βⱼ dⱼdⱼ'` (with `dⱼ = Kⱼyⱼ` the mode's
/// correction) and of `βⱼ` times the mode's likelihood ratio. Fixed size, on the stack.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pda {
    p: [Cov; 2],
    d: [State; 2],
    dd: [Cov; 2],
    lik: [f64; 2],
    weight: f64,
}

impl Default for Pda {
    fn default() -> Self {
        Pda {
            p: [Cov::zeros(); 2],
            d: [State::zeros(); 2],
            dd: [Cov::zeros(); 2],
            lik: [0.0; 2],
            weight: 0.0,
        }
    }
}

/// Moment-matched single Gaussian of a mixture.
pub fn merge(x: &[State; 2], p: &[Cov; 2], w: &[f64; 2]) -> (State, Cov) {
    let m = x[0] * w[0] + x[1] * w[1];
    let mut c = Cov::zeros();
    for i in 0..2 {
        let d = x[i] - m;
        c += (p[i] + d * d.transpose()) * w[i];
    }
    (m, c)
}

impl ImmState {
    /// A new state with both modes equal.
    pub fn new(t: f64, x: State, p: Cov, p_ct: f64) -> Self {
        ImmState {
            t,
            x: [x, x],
            p: [p, p],
            mu: [1.0 - p_ct, p_ct],
            cx: x,
            cp: p,
        }
    }

    /// Combined mean and covariance (cached).
    #[inline]
    pub fn combined(&self) -> (State, Cov) {
        (self.cx, self.cp)
    }

    /// Recomputes the cached combined estimate after `x`, `p` or `mu` changed.
    pub fn refresh(&mut self) {
        let (x, p) = merge(&self.x, &self.p, &self.mu);
        self.cx = x;
        self.cp = p;
    }

    /// Mixes and predicts both modes to `t` (forward only; earlier times are handled by
    /// retrodiction in [`ImmState::update`]).
    pub fn predict(&mut self, imm: &Imm, t: f64) {
        let dt = t - self.t;
        if dt <= 1e-6 {
            return;
        }
        let s0 = 1.0 - (-dt / imm.cfg.sojourn_cv_s).exp();
        let s1 = 1.0 - (-dt / imm.cfg.sojourn_ct_s).exp();
        // pij: probability of switching from mode i to mode j.
        let pij = [[1.0 - s0, s0], [s1, 1.0 - s1]];
        let mut x0 = [State::zeros(); 2];
        let mut p0 = [Cov::zeros(); 2];
        let mut c = [0.0; 2];
        for j in 0..2 {
            c[j] = pij[0][j] * self.mu[0] + pij[1][j] * self.mu[1];
            let w = if c[j] > 1e-300 {
                [pij[0][j] * self.mu[0] / c[j], pij[1][j] * self.mu[1] / c[j]]
            } else {
                [0.5, 0.5]
            };
            let (m, cv) = merge(&self.x, &self.p, &w);
            x0[j] = m;
            p0[j] = cv;
        }
        let (x, f) = imm.cv.transition(&x0[0], dt);
        self.p[0] = f * p0[0] * f.transpose() + imm.cv.noise(&x, dt);
        self.x[0] = x;
        let (x, f) = imm.ct.transition(&x0[1], dt);
        self.p[1] = f * p0[1] * f.transpose() + imm.ct.noise(&x, dt);
        self.x[1] = x;
        let sum = c[0] + c[1];
        self.mu = [c[0] / sum, c[1] / sum];
        self.t = t;
        self.refresh();
    }

    /// Innovation of a measurement taken at `tz` against the combined estimate: used
    /// for gating and association costs. Does not change the state.
    pub fn gate<const M: usize>(
        &self,
        imm: &Imm,
        model: &impl MeasurementModel<M>,
        tz: f64,
    ) -> Option<Innovation<M>> {
        let dt = tz - self.t;
        // Gating uses the combined estimate moved by the CV model, forwards or
        // backwards (retrodiction): a conservative innovation at a fraction of the cost
        // of mixing and predicting both modes; the mode-wise update is exact.
        if dt > 1e-6 {
            let (x, p) = self.predict_combined(imm, tz);
            innovate::<M, Ncv>(imm.cfg.filter, model, &x, &p, None)
        } else {
            let retro = (dt < -1e-6).then_some(Retro { model: &imm.cv, dt });
            innovate(imm.cfg.filter, model, &self.cx, &self.cp, retro)
        }
    }

    /// The combined estimate moved forward to `t` by the CV model with the larger (CT)
    /// process noise: one prediction instead of mixing and predicting both modes. Used
    /// for gating, display and merging, where a conservative estimate suffices.
    pub fn predict_combined(&self, imm: &Imm, t: f64) -> (State, Cov) {
        let dt = t - self.t;
        if dt <= 1e-6 {
            return (self.cx, self.cp);
        }
        let (mut x, mut f) = imm.cv.transition(&self.cx, dt);
        // The CV model pins the turn rate; keep the mixture's instead.
        f[(crate::motion::W, crate::motion::W)] = 1.0;
        x[crate::motion::W] = self.cx[crate::motion::W];
        let p = f * self.cp * f.transpose() + imm.ct.noise(&x, dt);
        (x, p)
    }

    /// Predicts to `tz` (if later) and updates both modes with the measurement; a
    /// measurement older than the state is applied by retrodiction (out of sequence).
    /// Returns the combined log-likelihood, or `None` if the update was numerically
    /// impossible (state left as predicted).
    pub fn update<const M: usize>(
        &mut self,
        imm: &Imm,
        model: &impl MeasurementModel<M>,
        tz: f64,
    ) -> Option<f64> {
        if tz > self.t {
            self.predict(imm, tz);
        }
        let dt = tz - self.t;
        let kind = imm.cfg.filter;
        let (i0, i1) = if dt < -1e-6 {
            (
                innovate(
                    kind,
                    model,
                    &self.x[0],
                    &self.p[0],
                    Some(Retro { model: &imm.cv, dt }),
                )?,
                innovate(
                    kind,
                    model,
                    &self.x[1],
                    &self.p[1],
                    Some(Retro { model: &imm.ct, dt }),
                )?,
            )
        } else {
            (
                innovate::<M, Ncv>(kind, model, &self.x[0], &self.p[0], None)?,
                innovate::<M, Ncv>(kind, model, &self.x[1], &self.p[1], None)?,
            )
        };
        let l0 = i0.log_likelihood();
        let l1 = i1.log_likelihood();
        let lmax = l0.max(l1);
        let a = self.mu[0] * (l0 - lmax).exp();
        let b = self.mu[1] * (l1 - lmax).exp();
        let sum = a + b;
        if !(sum.is_finite() && sum > 0.0) {
            return None;
        }
        // Keep both modes alive: a mode at probability 0 could never come back.
        let m1 = (b / sum).clamp(1e-4, 1.0 - 1e-4);
        self.mu = [1.0 - m1, m1];
        i0.apply(&mut self.x[0], &mut self.p[0]);
        i1.apply(&mut self.x[1], &mut self.p[1]);
        self.refresh();
        Some(lmax + sum.ln())
    }

    /// Adds one report, weighted by its association probability `beta`, to a PDA
    /// update in progress (see [`Pda`]). The state must already be predicted to the
    /// newest report time of the update; an older report is retrodicted, as in
    /// [`ImmState::update`]. `ln_gate_lik` is the report's log-likelihood against the
    /// gating estimate (same units as [`Innovation::log_likelihood`]), the reference
    /// for the mode likelihood ratios. Returns false (nothing added) if the update was
    /// numerically impossible in either mode.
    pub fn pda_add<const M: usize>(
        &self,
        imm: &Imm,
        model: &impl MeasurementModel<M>,
        tz: f64,
        beta: f64,
        ln_gate_lik: f64,
        acc: &mut Pda,
    ) -> bool {
        let dt = tz - self.t;
        let kind = imm.cfg.filter;
        let inn = if dt < -1e-6 {
            innovate(
                kind,
                model,
                &self.x[0],
                &self.p[0],
                Some(Retro { model: &imm.cv, dt }),
            )
            .zip(innovate(
                kind,
                model,
                &self.x[1],
                &self.p[1],
                Some(Retro { model: &imm.ct, dt }),
            ))
        } else {
            innovate::<M, Ncv>(kind, model, &self.x[0], &self.p[0], None).zip(innovate::<M, Ncv>(
                kind, model, &self.x[1], &self.p[1], None,
            ))
        };
        let Some((i0, i1)) = inn else {
            return false;
        };
        if !(beta.is_finite() && beta > 0.0) {
            return false;
        }
        for (k, i) in [(0, &i0), (1, &i1)] {
            let gain = i.pxz * i.s_inv;
            let d = gain * i.y;
            let pk = self.p[k] - gain * i.s * gain.transpose();
            // Mode likelihood relative to the gating likelihood the association
            // probabilities came from; bounded so one report cannot flip a mode alone.
            let r = (i.log_likelihood() - ln_gate_lik).clamp(-30.0, 30.0).exp();
            acc.p[k] += pk * beta;
            acc.d[k] += d * beta;
            acc.dd[k] += d * d.transpose() * beta;
            acc.lik[k] += beta * r;
        }
        acc.weight += beta;
        true
    }

    /// Finishes a PDA update: each mode becomes the moment-matched mixture of "no report
    /// is ours" (weight `beta_miss`, the predicted mode) and of the per-report updates
    /// added by [`ImmState::pda_add`]; mode probabilities are updated with the
    /// mixture's likelihood. Returns false (state left as predicted) if nothing usable
    /// was added.
    ///
    /// With a common innovation covariance this is exactly Bar-Shalom's PDA update,
    /// `x = x̂ + K Σⱼ βⱼ yⱼ`, `P = β₀P̂ + (1 − β₀)P_c + K(Σⱼ βⱼ yⱼyⱼ' − ỹỹ')K'` (the
    /// last term the spread of innovations); the mixture form also holds when the
    /// reports have different times (retrodicted) or dimensions.
    pub fn pda_finish(&mut self, beta_miss: f64, acc: &Pda) -> bool {
        let miss = if beta_miss.is_finite() {
            beta_miss.max(0.0)
        } else {
            0.0
        };
        let total = miss + acc.weight;
        if !(acc.weight > 0.0 && total.is_finite()) {
            return false;
        }
        let mut lik = [0.0; 2];
        let mut out = [(State::zeros(), Cov::zeros()); 2];
        for (k, (l, o)) in lik.iter_mut().zip(out.iter_mut()).enumerate() {
            let delta = acc.d[k] / total;
            let mut p =
                (self.p[k] * miss + acc.p[k] + acc.dd[k]) / total - delta * delta.transpose();
            p = (p + p.transpose()) * 0.5;
            if !(p.iter().all(|v| v.is_finite()) && delta.iter().all(|v| v.is_finite())) {
                return false;
            }
            *o = (self.x[k] + delta, p);
            *l = self.mu[k] * (miss + acc.lik[k]) / total;
        }
        for (k, (x, p)) in out.into_iter().enumerate() {
            self.x[k] = x;
            self.p[k] = p;
        }
        let sum = lik[0] + lik[1];
        if sum.is_finite() && sum > 0.0 {
            let m1 = (lik[1] / sum).clamp(1e-4, 1.0 - 1e-4);
            self.mu = [1.0 - m1, m1];
        }
        self.refresh();
        true
    }

    /// Mean and covariance predicted to `t` without changing the state.
    pub fn peek(&self, imm: &Imm, t: f64) -> (State, Cov, [f64; 2]) {
        let mut s = *self;
        s.predict(imm, t);
        let (x, p) = s.combined();
        (x, p, s.mu)
    }

    /// True if every number in the state is finite.
    pub fn is_finite(&self) -> bool {
        self.x.iter().all(|x| x.iter().all(|v| v.is_finite()))
            && self.p.iter().all(|p| p.iter().all(|v| v.is_finite()))
            && self.mu.iter().all(|m| m.is_finite())
    }
}
