//! Optimal 2D assignment: given an `rows x cols` cost matrix, pick at most one column per
//! row and one row per column so that every row (if `rows <= cols`) is assigned and the
//! total cost is minimal.
//!
//! Used by the tracker's global-nearest-neighbour association and by the scorer's
//! GOSPA. Why hand-written: the usual crates either need integer (`Ord`) weights
//! (`pathfinding::kuhn_munkres`), which would round our squared distances, or allocate a
//! dense square matrix per call. This is the shortest-augmenting-path form of the
//! Hungarian method (Jonker-Volgenant style potentials), O(rows² · cols), on `f64`.
//!
//! Forbidden pairs are expressed by the caller with a large finite cost (for example the
//! gate or the GOSPA cut-off); costs must be finite.

/// Minimum-cost assignment for a dense row-major `rows x cols` matrix.
///
/// Returns, for each row, the assigned column (`None` only when `rows > cols` and the row
/// was left out). Costs must be finite; NaN or infinite costs make the result unspecified
/// (but never panic).
pub fn assign(costs: &[f64], rows: usize, cols: usize) -> Vec<Option<usize>> {
    assert_eq!(costs.len(), rows * cols, "cost matrix is not rows x cols");
    if rows == 0 || cols == 0 {
        return vec![None; rows];
    }
    // Work with n <= m by transposing if needed.
    if rows > cols {
        let mut t = vec![0.0; rows * cols];
        for r in 0..rows {
            for c in 0..cols {
                t[c * rows + r] = costs[r * cols + c];
            }
        }
        let col_to_row = assign(&t, cols, rows);
        let mut out = vec![None; rows];
        for (c, r) in col_to_row.into_iter().enumerate() {
            if let Some(r) = r {
                out[r] = Some(c);
            }
        }
        return out;
    }
    let (n, m) = (rows, cols);
    // 1-based arrays as in the classic formulation; index 0 is the virtual start.
    let mut u = vec![0.0f64; n + 1];
    let mut v = vec![0.0f64; m + 1];
    let mut p = vec![0usize; m + 1]; // p[j]: row assigned to column j
    let mut way = vec![0usize; m + 1];
    let mut minv = vec![0.0f64; m + 1];
    let mut used = vec![false; m + 1];
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0usize;
        minv.iter_mut().for_each(|x| *x = f64::INFINITY);
        used.iter_mut().for_each(|x| *x = false);
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = f64::INFINITY;
            let mut j1 = 0usize;
            for j in 1..=m {
                if !used[j] {
                    let cur = costs[(i0 - 1) * m + (j - 1)] - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            if j1 == 0 {
                // Only reachable with non-finite costs: give up on this row.
                break;
            }
            for j in 0..=m {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        if p[j0] != 0 {
            continue;
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut out = vec![None; n];
    for j in 1..=m {
        if p[j] != 0 {
            out[p[j] - 1] = Some(j - 1);
        }
    }
    out
}

/// Total cost of an assignment.
pub fn total_cost(costs: &[f64], cols: usize, assignment: &[Option<usize>]) -> f64 {
    assignment
        .iter()
        .enumerate()
        .filter_map(|(r, c)| c.map(|c| costs[r * cols + c]))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn brute_force(costs: &[f64], rows: usize, cols: usize) -> f64 {
        // Minimum over all injective maps of the smaller side into the larger.
        fn rec(
            costs: &[f64],
            rows: usize,
            cols: usize,
            r: usize,
            used: &mut Vec<bool>,
            transpose: bool,
        ) -> f64 {
            let (n, m) = if transpose {
                (cols, rows)
            } else {
                (rows, cols)
            };
            if r == n {
                return 0.0;
            }
            let mut best = f64::INFINITY;
            for c in 0..m {
                if !used[c] {
                    used[c] = true;
                    let cost = if transpose {
                        costs[c * cols + r]
                    } else {
                        costs[r * cols + c]
                    };
                    best = best.min(cost + rec(costs, rows, cols, r + 1, used, transpose));
                    used[c] = false;
                }
            }
            best
        }
        let transpose = rows > cols;
        let m = rows.max(cols);
        rec(costs, rows, cols, 0, &mut vec![false; m], transpose)
    }

    #[test]
    fn textbook_case() {
        let c = [4.0, 1.0, 3.0, 2.0, 0.0, 5.0, 3.0, 2.0, 2.0];
        let a = assign(&c, 3, 3);
        assert_eq!(a, vec![Some(1), Some(0), Some(2)]);
        assert_eq!(total_cost(&c, 3, &a), 5.0);
    }

    #[test]
    fn rectangular_both_ways_and_empty() {
        let c = [10.0, 1.0, 7.0, 3.0, 9.0, 2.0];
        assert_eq!(assign(&c, 2, 3), vec![Some(1), Some(2)]);
        let t = [10.0, 3.0, 1.0, 9.0, 7.0, 2.0];
        assert_eq!(assign(&t, 3, 2), vec![None, Some(0), Some(1)]);
        assert!(assign(&[], 0, 5).is_empty());
        assert_eq!(assign(&[], 3, 0), vec![None, None, None]);
    }

    proptest! {
        #[test]
        fn optimal_against_brute_force(rows in 1usize..6, cols in 1usize..6, seed in proptest::collection::vec(0.0f64..100.0, 36)) {
            let costs: Vec<f64> = seed[..rows * cols].to_vec();
            let a = assign(&costs, rows, cols);
            // A valid matching of size min(rows, cols).
            let assigned: Vec<usize> = a.iter().flatten().copied().collect();
            prop_assert_eq!(assigned.len(), rows.min(cols));
            let mut sorted = assigned.clone();
            sorted.sort_unstable();
            sorted.dedup();
            prop_assert_eq!(sorted.len(), assigned.len());
            let best = brute_force(&costs, rows, cols);
            prop_assert!((total_cost(&costs, cols, &a) - best).abs() < 1e-9);
        }
    }
}
