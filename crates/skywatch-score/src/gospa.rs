//! GOSPA of one time step (p = 2, α = 2), with the optimal assignment computed per
//! connected component of "pairs that can be closer than c".
//!
//! Why components: a pair at distance ≥ c costs c², exactly what leaving both points
//! unassigned costs (c²/2 + c²/2), so such pairs never change the optimum. Splitting the
//! bipartite graph of close pairs into connected components and solving each one alone
//! is therefore exact, and turns one O(n³) problem over a whole wave of hundreds of
//! objects into many tiny ones.

use std::collections::HashMap;

use serde::Serialize;

/// A point in the horizontal plane: (east, north).
///
/// # Units
/// Metres.
pub type Point2 = [f64; 2];

/// GOSPA of one step, split into its parts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GospaStep {
    /// GOSPA distance: sqrt(localisation + (c²/2)(missed + false)).
    ///
    /// # Units
    /// Metres.
    pub gospa: f64,
    /// Sum of squared distances of the assigned pairs (those closer than c).
    ///
    /// # Units
    /// Square metres.
    pub localisation_sq: f64,
    /// Truth points left unassigned.
    pub missed: usize,
    /// Estimates left unassigned.
    pub false_tracks: usize,
    /// Assigned pairs as (truth index, estimate index), each closer than c, in order of
    /// truth index.
    pub pairs: Vec<(usize, usize)>,
}

impl GospaStep {
    /// The missed part of GOSPA², (c²/2)·missed.
    ///
    /// # Units
    /// Square metres.
    pub fn missed_sq(&self, c: f64) -> f64 {
        c * c / 2.0 * self.missed as f64
    }

    /// The false part of GOSPA², (c²/2)·false.
    ///
    /// # Units
    /// Square metres.
    pub fn false_sq(&self, c: f64) -> f64 {
        c * c / 2.0 * self.false_tracks as f64
    }
}

fn dist_sq(a: Point2, b: Point2) -> f64 {
    let (de, dn) = (a[0] - b[0], a[1] - b[1]);
    de * de + dn * dn
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// GOSPA with p = 2 and α = 2 between a truth set and an estimate set at one time.
///
/// A pair counts as assigned only if it is closer than `c` (strictly), as in the spec and
/// in Stone Soup's `GOSPAMetric`; a pair at distance ≥ c is scored as one miss plus one
/// false estimate, which costs the same. Non-finite coordinates make their point never
/// closer than `c` to anything (it counts as missed or false) rather than panicking.
///
/// # Units
/// Points and `c` in metres; the result's `gospa` in metres, its squared parts in m².
pub fn gospa_step(truth: &[Point2], est: &[Point2], c: f64) -> GospaStep {
    let c_sq = c * c;
    let (n, m) = (truth.len(), est.len());
    // Candidate pairs closer than c, found through a grid of cell size c: a close pair
    // lies in the same or a neighbouring cell.
    let cell = |p: Point2| -> Option<(i64, i64)> {
        if p[0].is_finite() && p[1].is_finite() && c > 0.0 {
            Some(((p[0] / c).floor() as i64, (p[1] / c).floor() as i64))
        } else {
            None
        }
    };
    let mut grid: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for (j, &p) in est.iter().enumerate() {
        if let Some(k) = cell(p) {
            grid.entry(k).or_default().push(j);
        }
    }
    let mut edges: Vec<(usize, usize, f64)> = Vec::new();
    for (i, &p) in truth.iter().enumerate() {
        let Some((cx, cy)) = cell(p) else { continue };
        for dx in -1..=1 {
            for dy in -1..=1 {
                if let Some(js) = grid.get(&(cx + dx, cy + dy)) {
                    for &j in js {
                        let d2 = dist_sq(p, est[j]);
                        if d2 < c_sq {
                            edges.push((i, j, d2));
                        }
                    }
                }
            }
        }
    }
    // Union-find over truth nodes 0..n and estimate nodes n..n+m.
    let mut parent: Vec<usize> = (0..n + m).collect();
    for &(i, j, _) in &edges {
        let (a, b) = (find(&mut parent, i), find(&mut parent, n + j));
        if a != b {
            parent[a] = b;
        }
    }
    // Group edges by component root, and collect each component's members.
    let mut comp_edges: HashMap<usize, Vec<(usize, usize, f64)>> = HashMap::new();
    for &e in &edges {
        let r = find(&mut parent, e.0);
        comp_edges.entry(r).or_default().push(e);
    }
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut localisation_sq = 0.0;
    let mut roots: Vec<usize> = comp_edges.keys().copied().collect();
    // Deterministic order (HashMap iteration is not).
    roots.sort_unstable();
    for r in roots {
        let ce = &comp_edges[&r];
        if let [(i, j, d2)] = ce.as_slice() {
            pairs.push((*i, *j));
            localisation_sq += d2;
            continue;
        }
        let mut rows: Vec<usize> = ce.iter().map(|e| e.0).collect();
        rows.sort_unstable();
        rows.dedup();
        let mut cols: Vec<usize> = ce.iter().map(|e| e.1).collect();
        cols.sort_unstable();
        cols.dedup();
        let row_of: HashMap<usize, usize> = rows.iter().enumerate().map(|(k, &i)| (i, k)).collect();
        let col_of: HashMap<usize, usize> = cols.iter().enumerate().map(|(k, &j)| (j, k)).collect();
        // Pairs not closer than c cost c², the same as leaving both unassigned.
        let mut costs = vec![c_sq; rows.len() * cols.len()];
        for &(i, j, d2) in ce {
            costs[row_of[&i] * cols.len() + col_of[&j]] = d2;
        }
        let a = skywatch_assign::assign(&costs, rows.len(), cols.len());
        for (k, col) in a.into_iter().enumerate() {
            if let Some(l) = col {
                let d2 = costs[k * cols.len() + l];
                if d2 < c_sq {
                    pairs.push((rows[k], cols[l]));
                    localisation_sq += d2;
                }
            }
        }
    }
    pairs.sort_unstable();
    let missed = n - pairs.len();
    let false_tracks = m - pairs.len();
    let gospa = (localisation_sq + c_sq / 2.0 * (missed + false_tracks) as f64).sqrt();
    GospaStep {
        gospa,
        localisation_sq,
        missed,
        false_tracks,
        pairs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const C: f64 = 1000.0;

    /// Brute force over all partial injections, for small sets.
    fn brute(truth: &[Point2], est: &[Point2], c: f64) -> f64 {
        fn rec(truth: &[Point2], est: &[Point2], i: usize, used: &mut Vec<bool>, c: f64) -> f64 {
            if i == truth.len() {
                let unused = used.iter().filter(|u| !**u).count();
                return c * c / 2.0 * unused as f64;
            }
            // Leave truth i unassigned.
            let mut best = c * c / 2.0 + rec(truth, est, i + 1, used, c);
            for j in 0..est.len() {
                if !used[j] {
                    used[j] = true;
                    let d2 = dist_sq(truth[i], est[j]).min(c * c);
                    best = best.min(d2 + rec(truth, est, i + 1, used, c));
                    used[j] = false;
                }
            }
            best
        }
        rec(truth, est, 0, &mut vec![false; est.len()], c).sqrt()
    }

    #[test]
    fn hand_computed_case() {
        // One pair 300 m apart, one pair 1500 m apart (miss + false), one extra truth.
        let truth = [[0.0, 0.0], [5000.0, 0.0], [9000.0, 9000.0]];
        let est = [[0.0, 300.0], [6500.0, 0.0]];
        let g = gospa_step(&truth, &est, C);
        assert_eq!(g.pairs, vec![(0, 0)]);
        assert_eq!((g.missed, g.false_tracks), (2, 1));
        assert!((g.localisation_sq - 90_000.0).abs() < 1e-9);
        let expect = (90_000.0f64 + 500_000.0 * 3.0).sqrt();
        assert!((g.gospa - expect).abs() < 1e-9);
    }

    #[test]
    fn optimal_not_greedy() {
        // Greedy would pair truth 0 with est 0 (400 m) and leave truth 1 with est 1 at
        // 1100 m (unassigned); the optimum pairs 0-1 (600 m) and 1-0 (600 m).
        let truth = [[0.0, 0.0], [1000.0, 0.0]];
        let est = [[400.0, 0.0], [-600.0, 0.0]];
        let g = gospa_step(&truth, &est, C);
        assert_eq!(g.pairs, vec![(0, 1), (1, 0)]);
        assert!((g.gospa - (2.0f64 * 360_000.0).sqrt()).abs() < 1e-9);
    }

    #[test]
    fn empty_sets_and_exact_cutoff() {
        let g = gospa_step(&[], &[], C);
        assert_eq!(g.gospa, 0.0);
        let g = gospa_step(&[[0.0, 0.0]], &[[C, 0.0]], C);
        assert!(g.pairs.is_empty(), "a pair exactly c apart is not assigned");
        assert!((g.gospa - C).abs() < 1e-9);
        let g = gospa_step(&[[f64::NAN, 0.0]], &[[0.0, 0.0]], C);
        assert_eq!((g.missed, g.false_tracks), (1, 1));
    }

    fn pts(max: usize) -> impl Strategy<Value = Vec<Point2>> {
        proptest::collection::vec((-3000.0f64..3000.0, -3000.0f64..3000.0), 0..max)
            .prop_map(|v| v.into_iter().map(|(e, n)| [e, n]).collect())
    }

    proptest! {
        #[test]
        fn matches_brute_force(truth in pts(6), est in pts(6)) {
            let g = gospa_step(&truth, &est, C);
            prop_assert!((g.gospa - brute(&truth, &est, C)).abs() < 1e-6);
        }

        #[test]
        fn symmetric_bounded_and_zero_on_identity(truth in pts(12), est in pts(12)) {
            let ab = gospa_step(&truth, &est, C);
            let ba = gospa_step(&est, &truth, C);
            prop_assert!((ab.gospa - ba.gospa).abs() < 1e-6);
            prop_assert_eq!((ab.missed, ab.false_tracks), (ba.false_tracks, ba.missed));
            let bound = C * (((truth.len() + est.len()) as f64) / 2.0).sqrt();
            prop_assert!(ab.gospa <= bound + 1e-9);
            prop_assert!(ab.gospa >= 0.0);
            prop_assert_eq!(gospa_step(&truth, &truth, C).gospa, 0.0);
            // Positive on distinct sets of different size.
            if truth.len() != est.len() {
                prop_assert!(ab.gospa > 0.0);
            }
        }

        #[test]
        fn triangle_inequality(a in pts(6), b in pts(6), x in pts(6)) {
            // GOSPA (p = 2, α = 2) is a metric on finite sets.
            let ab = gospa_step(&a, &b, C).gospa;
            let ax = gospa_step(&a, &x, C).gospa;
            let xb = gospa_step(&x, &b, C).gospa;
            prop_assert!(ab <= ax + xb + 1e-6);
        }
    }
}
