//! A spatial hash over Earth-centred cubes: the tracker's gating index.
//!
//! Why ECEF cubes and not a lat/lon grid or an R-tree: cubes have the same size
//! everywhere (no pole singularity, no 180° seam), a lookup is a hash of three integers,
//! and rebuilding every second costs O(tracks) with no rebalancing; an R-tree
//! (`rstar`) would need bulk reloads at the same rate for no gain on points.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use nalgebra::Vector3;

/// A fast hasher for small integer keys (FxHash's multiply-rotate). SipHash's DoS
/// resistance buys nothing here: keys are cell coordinates, not attacker strings.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b as u64);
        }
    }
    #[inline]
    fn write_i32(&mut self, i: i32) {
        self.write_u64(i as u32 as u64);
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.write_u64(i as u64);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// `HashMap` with [`FxHasher`].
pub type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

type Cell = (i32, i32, i32);

/// Points (ECEF) with `u32` payloads, bucketed in cubes of edge `cell_m`.
#[derive(Debug, Clone)]
pub struct Grid {
    cell_m: f64,
    map: FxMap<Cell, Vec<u32>>,
    len: usize,
}

impl Grid {
    /// # Units
    /// `cell_m` metres (clamped to at least 100 m).
    pub fn new(cell_m: f64) -> Self {
        Grid {
            cell_m: if cell_m.is_finite() {
                cell_m.max(100.0)
            } else {
                4000.0
            },
            map: FxMap::default(),
            len: 0,
        }
    }

    #[inline]
    fn cell_of(&self, p: &Vector3<f64>) -> Cell {
        let c = |v: f64| (v / self.cell_m).floor().clamp(-1e9, 1e9) as i32;
        (c(p.x), c(p.y), c(p.z))
    }

    /// Empties the grid, keeping allocations for the next rebuild.
    pub fn clear(&mut self) {
        // Drop buckets of cells nobody used lately, so memory follows the traffic.
        if self.map.len() > 4 * self.len + 64 {
            self.map.retain(|_, v| !v.is_empty());
        }
        for v in self.map.values_mut() {
            v.clear();
        }
        self.len = 0;
    }

    /// Adds a point. Non-finite points are ignored.
    pub fn insert(&mut self, p: &Vector3<f64>, payload: u32) {
        if !p.iter().all(|v| v.is_finite()) {
            return;
        }
        let c = self.cell_of(p);
        self.map.entry(c).or_default().push(payload);
        self.len += 1;
    }

    /// Calls `f` for every payload in the cells that intersect the cube of half-edge
    /// `radius_m` around `p` (a superset of the points within `radius_m`).
    pub fn query(&self, p: &Vector3<f64>, radius_m: f64, mut f: impl FnMut(u32)) {
        if !p.iter().all(|v| v.is_finite()) || !radius_m.is_finite() {
            return;
        }
        // Cap the search at 8 cells each way: a caller asking for more is better served
        // by a miss than by a scan of the whole index.
        let r = radius_m.clamp(0.0, 8.0 * self.cell_m);
        let lo = self.cell_of(&p.add_scalar(-r));
        let hi = self.cell_of(&p.add_scalar(r));
        for i in lo.0..=hi.0 {
            for j in lo.1..=hi.1 {
                for k in lo.2..=hi.2 {
                    if let Some(v) = self.map.get(&(i, j, k)) {
                        for &x in v {
                            f(x);
                        }
                    }
                }
            }
        }
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True if empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// The bin of a radar's slant range, for the per-radar maps ([`crate::revisit`],
/// [`crate::clutter`]); `None` for a bad range or bin size, or beyond 400 bins (2,000
/// km at 5 km: no radar plots further).
///
/// # Units
/// Metres.
pub fn range_bin(range_m: f64, bin_m: f64) -> Option<usize> {
    (range_m.is_finite() && range_m >= 0.0 && bin_m >= 100.0)
        .then(|| (range_m / bin_m) as usize)
        .filter(|&b| b < 400)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_near_points_across_cell_borders_and_not_far_ones() {
        let mut g = Grid::new(1000.0);
        g.insert(&Vector3::new(999.0, 0.0, 0.0), 1);
        g.insert(&Vector3::new(1001.0, 0.0, 0.0), 2);
        g.insert(&Vector3::new(-5000.0, 0.0, 0.0), 3);
        g.insert(&Vector3::new(f64::NAN, 0.0, 0.0), 4);
        let mut got = Vec::new();
        g.query(&Vector3::new(1000.0, 10.0, -10.0), 50.0, |x| got.push(x));
        got.sort();
        assert_eq!(got, vec![1, 2]);
        assert_eq!(g.len(), 3);
        g.clear();
        let mut n = 0;
        g.query(&Vector3::new(1000.0, 0.0, 0.0), 5000.0, |_| n += 1);
        assert_eq!(n, 0);
    }
}
