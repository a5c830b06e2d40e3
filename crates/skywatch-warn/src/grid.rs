//! A lazily filled raster of "which areas contain this cell's centre".
//!
//! Prediction looks up hundreds of thousands of sample positions per step; an R-tree
//! query plus a polygon test for each would dominate the cost. Each cell is resolved
//! once, on first use, with the R-tree and the exact polygon test at its centre, and
//! cached. The error is at most half a cell at area borders, far below the corridor's
//! own uncertainty. Cells are only ever filled for places threats head to, so memory
//! stays near what the traffic touches (the index array is allocated up front, bounded
//! by `max_grid_cells`).

use std::collections::HashMap;

use skywatch_areas::{AreaId, AreaSet};

/// Not resolved yet.
const UNKNOWN: u32 = u32::MAX;

/// Metres per degree of latitude (spherical; the grid is a lookup aid, not geodesy).
pub(crate) const M_PER_DEG_LAT: f64 = 111_195.0;

pub(crate) struct AreaGrid {
    min_lat: f64,
    min_lon: f64,
    dlat: f64,
    dlon: f64,
    nlat: usize,
    nlon: usize,
    /// Per cell: index into `sets`, or `UNKNOWN`.
    cells: Vec<u32>,
    /// Interned sets of areas; `sets[0]` is the empty set.
    sets: Vec<Vec<AreaId>>,
    interned: HashMap<Vec<AreaId>, u32>,
}

impl AreaGrid {
    /// # Units
    /// `cell_m` metres.
    pub(crate) fn new(areas: &AreaSet, cell_m: f64, max_cells: usize) -> AreaGrid {
        let mut grid = AreaGrid {
            min_lat: 0.0,
            min_lon: 0.0,
            dlat: 1.0,
            dlon: 1.0,
            nlat: 0,
            nlon: 0,
            cells: Vec::new(),
            sets: vec![Vec::new()],
            interned: HashMap::from([(Vec::new(), 0)]),
        };
        let mut lo = [f64::INFINITY; 2];
        let mut hi = [f64::NEG_INFINITY; 2];
        for (_, a) in areas.iter() {
            for k in 0..2 {
                lo[k] = lo[k].min(a.bbox.0[k]);
                hi[k] = hi[k].max(a.bbox.1[k]);
            }
        }
        if !(lo[0].is_finite() && lo[1].is_finite() && hi[0].is_finite() && hi[1].is_finite()) {
            return grid; // no areas: every lookup is empty
        }
        let mid_lat = (lo[1] + hi[1]) / 2.0;
        let cos = mid_lat.to_radians().cos().max(0.01);
        let mut cell = cell_m;
        let (nlat, nlon) = loop {
            let dlat = cell / M_PER_DEG_LAT;
            let dlon = cell / (M_PER_DEG_LAT * cos);
            let nlat = ((hi[1] - lo[1]) / dlat).ceil() as usize + 1;
            let nlon = ((hi[0] - lo[0]) / dlon).ceil() as usize + 1;
            if nlat.saturating_mul(nlon) <= max_cells.max(1) {
                grid.dlat = dlat;
                grid.dlon = dlon;
                break (nlat, nlon);
            }
            cell *= 1.25;
        };
        grid.min_lat = lo[1];
        grid.min_lon = lo[0];
        grid.nlat = nlat;
        grid.nlon = nlon;
        grid.cells = vec![UNKNOWN; nlat * nlon];
        grid
    }

    /// Index of the set of areas containing the cell of a point (0 = none).
    ///
    /// # Units
    /// Degrees.
    #[inline]
    pub(crate) fn lookup(&mut self, areas: &AreaSet, lat: f64, lon: f64) -> u32 {
        let fi = (lat - self.min_lat) / self.dlat;
        let fj = (lon - self.min_lon) / self.dlon;
        // NaN fails both comparisons and lands here too.
        if !(fi >= 0.0 && fj >= 0.0) {
            return 0;
        }
        let (i, j) = (fi as usize, fj as usize);
        if i >= self.nlat || j >= self.nlon {
            return 0;
        }
        let k = i * self.nlon + j;
        let v = self.cells[k];
        if v != UNKNOWN {
            return v;
        }
        let clat = self.min_lat + (i as f64 + 0.5) * self.dlat;
        let clon = self.min_lon + (j as f64 + 0.5) * self.dlon;
        let mut set: Vec<AreaId> = areas.containing(clat, clon).collect();
        set.sort_unstable();
        let next = self.sets.len() as u32;
        let idx = *self.interned.entry(set.clone()).or_insert(next);
        if idx == next {
            self.sets.push(set);
        }
        self.cells[k] = idx;
        idx
    }

    /// The areas of a set index returned by [`AreaGrid::lookup`].
    #[inline]
    pub(crate) fn set(&self, idx: u32) -> &[AreaId] {
        self.sets.get(idx as usize).map_or(&[], Vec::as_slice)
    }
}
