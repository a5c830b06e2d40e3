//! Joint probabilistic data association (JPDA) marginals of one cluster (Fortmann,
//! Bar-Shalom & Scheffe 1983; Stone Soup's `JPDA` hypothesiser/associator).
//!
//! A cluster is a set of tracks and of reports from one sensor batch linked by gates,
//! independent of every other cluster. A *joint event* gives each track at most one
//! report and each report at most one track (the rest are clutter or new objects). With
//! detection probability `Pd`, gate probability `Pg` and clutter density `λⱼ` at report
//! `j` (in its own measurement space), an event's probability is proportional to
//!
//! ```text
//!   ∏_{(t,j) in event} Pd·N(yₜⱼ; 0, Sₜⱼ)/λⱼ  ·  ∏_{t undetected} (1 − Pd·Pg)
//! ```
//!
//! and dividing by the constant `∏ₜ (1 − Pd·Pg)` leaves a product of per-pair
//! likelihood ratios `gₜⱼ = Pd·N/(λⱼ(1 − Pd·Pg))`, a missed detection counting 1. The
//! marginal `βₜⱼ` is the summed probability of the events that give `j` to `t`, and
//! `βₜ₀` that of the events where `t` is not detected. The engine computes the ratios
//! (as logarithms) and applies the updates; this module only does the combinatorics.
//!
//! Exact enumeration is exponential, so clusters above configured limits use Fitzgerald's
//! "cheap JPDA" closed form, or are handed back to the caller (which then uses GNN).

use crate::config::JpdaFallback;

/// Cluster-size limits of exact enumeration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_tracks: usize,
    /// Clamped to 64 (reports in use are a bit set).
    pub max_reports: usize,
    pub max_hypotheses: usize,
}

/// How a cluster's marginals were obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Solved {
    /// Exact enumeration of every feasible joint event.
    Exact,
    /// Fitzgerald's cheap JPDA approximation (cluster above the limits).
    Cheap,
    /// Not solved: above the limits with a GNN fallback, or numerically impossible. The
    /// output is left unspecified; the caller should assign the cluster by GNN.
    Gnn,
}

/// Scratch space for [`Jpda::marginals`], reused across clusters so the hot path does
/// not allocate once warm.
#[derive(Debug, Default, Clone)]
pub struct Jpda {
    /// Per-track gated options: `(report, log factor)` after row scaling.
    opts: Vec<(u32, f64)>,
    /// Start of each track's options in `opts` (`nt + 1` entries).
    start: Vec<usize>,
    /// Log factor of "not detected" per track, after row scaling.
    miss: Vec<f64>,
    /// Current event: chosen column per track (0 = missed, `1 + j` = report `j`).
    choice: Vec<usize>,
    /// Running log-sum-exp of event weights: reference and scaled sum.
    ref_lw: f64,
    sum: f64,
}

impl Jpda {
    /// Marginal association probabilities of a cluster of `nt` tracks and `nm` reports.
    ///
    /// `ln_g` is row-major `nt × nm`: the log likelihood ratio of report `j` for track
    /// `t` (see the module documentation), `-inf` (or any non-finite value) where `j` is
    /// outside `t`'s gate. On `Exact` or `Cheap`, `beta` holds `nt × (nm + 1)` values,
    /// row `t` = `[βₜ₀, βₜ₁, …]` summing to 1.
    ///
    /// Deterministic; never panics on NaN or infinite input (such pairs are ungated).
    pub fn marginals(
        &mut self,
        ln_g: &[f64],
        nt: usize,
        nm: usize,
        lim: &Limits,
        fallback: JpdaFallback,
        beta: &mut Vec<f64>,
    ) -> Solved {
        let w = nm + 1;
        beta.clear();
        beta.resize(nt * w, 0.0);
        if ln_g.len() < nt * nm {
            return Solved::Gnn;
        }
        // Bound on the number of events: ∏ (1 + options of t).
        let mut bound: usize = 1;
        for t in 0..nt {
            let k = (0..nm).filter(|&j| ok(ln_g[t * nm + j])).count();
            bound = bound.saturating_mul(k + 1);
        }
        let small = nt <= lim.max_tracks
            && nm <= lim.max_reports.min(64)
            && bound <= lim.max_hypotheses.max(1);
        if small {
            if self.exact(ln_g, nt, nm, beta) {
                return Solved::Exact;
            }
            return Solved::Gnn;
        }
        match fallback {
            JpdaFallback::Gnn => Solved::Gnn,
            JpdaFallback::Cheap => {
                if cheap(ln_g, nt, nm, beta) {
                    Solved::Cheap
                } else {
                    Solved::Gnn
                }
            }
        }
    }

    fn exact(&mut self, ln_g: &[f64], nt: usize, nm: usize, beta: &mut [f64]) -> bool {
        self.opts.clear();
        self.start.clear();
        self.miss.clear();
        self.choice.clear();
        self.choice.resize(nt, 0);
        // Row scaling: every factor of track t is divided by max(1, max_j g_tj), so a
        // factor is at most 1 (exp 0); the marginals do not change.
        for t in 0..nt {
            self.start.push(self.opts.len());
            let row = &ln_g[t * nm..(t + 1) * nm];
            let c = row.iter().copied().filter(|v| ok(*v)).fold(0.0, f64::max);
            self.miss.push(-c);
            for (j, &v) in row.iter().enumerate() {
                if ok(v) {
                    self.opts.push((j as u32, v - c));
                }
            }
        }
        self.start.push(self.opts.len());
        self.ref_lw = f64::NEG_INFINITY;
        self.sum = 0.0;
        self.visit(0, 0, 0.0, nm, beta);
        let z = self.sum;
        if !(z.is_finite() && z > 0.0) {
            return false;
        }
        for b in beta.iter_mut() {
            *b /= z;
        }
        true
    }

    /// Depth-first over tracks; `used` is the bit set of reports taken so far.
    fn visit(&mut self, t: usize, used: u64, lw: f64, nm: usize, beta: &mut [f64]) {
        let nt = self.choice.len();
        if t == nt {
            // Online log-sum-exp: rescale what was accumulated when a heavier event
            // comes, so no weight overflows or underflows wholesale.
            if lw > self.ref_lw {
                let f = (self.ref_lw - lw).exp();
                if f != 1.0 {
                    for b in beta.iter_mut() {
                        *b *= f;
                    }
                    self.sum *= f;
                }
                self.ref_lw = lw;
            }
            let e = (lw - self.ref_lw).exp();
            self.sum += e;
            let w = nm + 1;
            for (k, &c) in self.choice.iter().enumerate() {
                beta[k * w + c] += e;
            }
            return;
        }
        self.choice[t] = 0;
        let miss = self.miss[t];
        self.visit(t + 1, used, lw + miss, nm, beta);
        for o in self.start[t]..self.start[t + 1] {
            let (j, f) = self.opts[o];
            let bit = 1u64 << j;
            if used & bit != 0 {
                continue;
            }
            self.choice[t] = 1 + j as usize;
            self.visit(t + 1, used | bit, lw + f, nm, beta);
        }
        self.choice[t] = 0;
    }
}

#[inline]
fn ok(v: f64) -> bool {
    v.is_finite()
}

/// Fitzgerald's cheap JPDA: `βₜⱼ = gₜⱼ / (Σⱼ' gₜⱼ' + Σₜ' gₜ'ⱼ − gₜⱼ + B)`, with `B = 1`
/// the (normalised) weight of a missed detection. Exact for a single track (PDA).
fn cheap(ln_g: &[f64], nt: usize, nm: usize, beta: &mut [f64]) -> bool {
    let w = nm + 1;
    // Common scale: all ratios divided by the largest (at least 1), so sums stay finite.
    let c = ln_g[..nt * nm]
        .iter()
        .copied()
        .filter(|v| ok(*v))
        .fold(0.0, f64::max);
    let g = |t: usize, j: usize| {
        let v = ln_g[t * nm + j];
        if ok(v) { (v - c).exp() } else { 0.0 }
    };
    let b = (-c).exp();
    for t in 0..nt {
        let st: f64 = (0..nm).map(|j| g(t, j)).sum();
        let mut taken = 0.0;
        for j in 0..nm {
            let gtj = g(t, j);
            if gtj <= 0.0 {
                continue;
            }
            let sj: f64 = (0..nt).map(|k| g(k, j)).sum();
            let d = st + sj - gtj + b;
            let v = if d > 0.0 && d.is_finite() {
                gtj / d
            } else {
                0.0
            };
            beta[t * w + 1 + j] = v;
            taken += v;
        }
        if !taken.is_finite() {
            return false;
        }
        // Σⱼ βₜⱼ < 1 by construction; renormalise anyway against rounding.
        let miss = (1.0 - taken).max(0.0);
        beta[t * w] = miss;
        let s = miss + taken;
        if s > 0.0 {
            for v in &mut beta[t * w..(t + 1) * w] {
                *v /= s;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIM: Limits = Limits {
        max_tracks: 8,
        max_reports: 16,
        max_hypotheses: 4096,
    };
    const NO: f64 = f64::NEG_INFINITY;

    fn solve(ln_g: &[f64], nt: usize, nm: usize) -> (Solved, Vec<f64>) {
        let mut j = Jpda::default();
        let mut beta = Vec::new();
        let s = j.marginals(ln_g, nt, nm, &LIM, JpdaFallback::Cheap, &mut beta);
        (s, beta)
    }

    #[test]
    fn one_track_two_reports_is_pda_closed_form() {
        // PDA: β₀ = b/(b + e₁ + e₂), βⱼ = eⱼ/(b + e₁ + e₂) with the miss weight b = 1.
        let (g1, g2) = (3.0f64, 1.5f64);
        let (s, beta) = solve(&[g1.ln(), g2.ln()], 1, 2);
        assert_eq!(s, Solved::Exact);
        let z = 1.0 + g1 + g2;
        for (got, want) in beta.iter().zip([1.0 / z, g1 / z, g2 / z]) {
            assert!((got - want).abs() < 1e-12, "{beta:?}");
        }
    }

    #[test]
    fn two_tracks_one_report_by_hand() {
        // Events: {}, {1←a}, {2←a}: weights 1, g1, g2.
        let (g1, g2) = (4.0f64, 1.0f64);
        let (_, beta) = solve(&[g1.ln(), g2.ln()], 2, 1);
        let z = 1.0 + g1 + g2;
        let want = [(1.0 + g2) / z, g1 / z, (1.0 + g1) / z, g2 / z];
        for (got, want) in beta.iter().zip(want) {
            assert!((got - want).abs() < 1e-12, "{beta:?}");
        }
    }

    #[test]
    fn two_by_two_enumerates_every_event() {
        // g = [[a, b], [c, d]]; events: {}, 1a, 1b, 2a, 2b, 1a2b, 1b2a.
        let (a, b, c, d) = (5.0f64, 0.5f64, 0.7f64, 2.0f64);
        let (_, beta) = solve(&[a.ln(), b.ln(), c.ln(), d.ln()], 2, 2);
        let z = 1.0 + a + b + c + d + a * d + b * c;
        let want = [
            (1.0 + c + d) / z,
            (a + a * d) / z,
            (b + b * c) / z,
            (1.0 + a + b) / z,
            (c + b * c) / z,
            (d + a * d) / z,
        ];
        for (got, want) in beta.iter().zip(want) {
            assert!((got - want).abs() < 1e-12, "{beta:?} vs {want}");
        }
    }

    #[test]
    fn huge_ratios_neither_overflow_nor_lose_the_ordering() {
        let (s, beta) = solve(&[700.0, 690.0], 2, 1);
        assert_eq!(s, Solved::Exact);
        assert!(beta.iter().all(|b| b.is_finite()));
        assert!(beta[1] > 0.9999 && beta[3] < 1e-4, "{beta:?}");
    }

    #[test]
    fn bad_input_is_ungated_not_a_panic() {
        let (s, beta) = solve(&[f64::NAN, f64::INFINITY, 0.0], 1, 3);
        assert_eq!(s, Solved::Exact);
        assert!((beta[0] - 0.5).abs() < 1e-12 && (beta[3] - 0.5).abs() < 1e-12);
        assert_eq!((beta[1], beta[2]), (0.0, 0.0));
        let (s, _) = solve(&[], 1, 3);
        assert_eq!(s, Solved::Gnn);
    }

    #[test]
    fn cluster_size_limit_is_respected() {
        // 10 tracks all gating 10 reports: 11^10 events, far above the limit.
        let (nt, nm) = (10, 10);
        let ln_g = vec![1.0; nt * nm];
        let mut j = Jpda::default();
        let mut beta = Vec::new();
        assert_eq!(
            j.marginals(&ln_g, nt, nm, &LIM, JpdaFallback::Gnn, &mut beta),
            Solved::Gnn
        );
        assert_eq!(
            j.marginals(&ln_g, nt, nm, &LIM, JpdaFallback::Cheap, &mut beta),
            Solved::Cheap
        );
        for t in 0..nt {
            let row = &beta[t * (nm + 1)..(t + 1) * (nm + 1)];
            let s: f64 = row.iter().sum();
            assert!((s - 1.0).abs() < 1e-9 && row.iter().all(|b| *b >= 0.0));
        }
        // The event bound, not only the sizes: 3 tracks × 3 reports = 64 events.
        let lim = Limits {
            max_hypotheses: 63,
            ..LIM
        };
        let ln_g = vec![0.0; 9];
        assert_eq!(
            j.marginals(&ln_g, 3, 3, &lim, JpdaFallback::Gnn, &mut beta),
            Solved::Gnn
        );
        let lim = Limits {
            max_hypotheses: 64,
            ..LIM
        };
        assert_eq!(
            j.marginals(&ln_g, 3, 3, &lim, JpdaFallback::Gnn, &mut beta),
            Solved::Exact
        );
    }

    #[test]
    fn cheap_is_exact_for_one_track() {
        let ln_g = [2.0, 0.5, NO];
        let (_, exact) = solve(&ln_g, 1, 3);
        let mut beta = vec![0.0; 4];
        assert!(cheap(&ln_g, 1, 3, &mut beta));
        for (a, b) in exact.iter().zip(&beta) {
            assert!((a - b).abs() < 1e-12);
        }
    }

    #[test]
    fn same_input_same_output() {
        let ln_g: Vec<f64> = (0..24).map(|k| ((k * 7) % 5) as f64 - 1.0).collect();
        let (_, a) = solve(&ln_g, 4, 6);
        let (_, b) = solve(&ln_g, 4, 6);
        assert_eq!(
            a.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            b.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        );
    }
}
