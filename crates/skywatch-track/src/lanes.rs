//! Where cooperative air traffic flies low: a learned map of approach and departure
//! lanes, as evidence that a track without ADS-B that flies one is an aircraft too.
//!
//! Some aircraft fly without ADS-B (military, state, a transponder off), so silence
//! where a receiver would hear one ([`crate::squitter`]) only divides the aircraft
//! likelihood down to the share of such traffic. A dark departure then looks like
//! nothing the classifier knows: too fast for a drone, unheard for an aircraft, and
//! "unknown" counts half a threat (the fifteenth session's east `noncoop` probe: a dark
//! departure at 83 m/s and 330 m warned twice). But dark traffic uses the same runways
//! as the rest, so it climbs out and comes in along the lanes the cooperative traffic
//! has been flying all along. This map keeps, per cell of `cell_deg` and per heading
//! sector of 30°, the seconds cooperative aircraft below `max_alt_m` have flown there;
//! a track flying a lane on its heading (its own and the two neighbouring sectors,
//! ±45°, in its cell and the eight around it) has that much support. A drone crossing a
//! lane gets none; one flying along a lane onto an airfield gets it, which is why the
//! factor is capped (see [`crate::config::ClassifyConfig::lane_aircraft_factor`]).
//!
//! Deterministic, bounded by the cells low traffic visits; partitionable by region like
//! the rest of the engine's state.

use crate::index::FxMap;

/// Heading sectors of 30°.
const SECTORS: usize = 12;

/// The lane map ([`crate`]-internal; see the module docs).
#[derive(Debug, Clone, Default)]
pub struct Lanes {
    cells: FxMap<(i32, i32), [f32; SECTORS]>,
}

/// The heading sector of a heading in radians from north, clockwise.
fn sector(heading_rad: f64) -> usize {
    let turns = heading_rad.rem_euclid(std::f64::consts::TAU) / std::f64::consts::TAU;
    ((turns * SECTORS as f64) as usize).min(SECTORS - 1)
}

fn cell(lat_deg: f64, lon_deg: f64, cell_deg: f64) -> (i32, i32) {
    (
        (lat_deg / cell_deg).floor() as i32,
        (lon_deg / cell_deg).floor() as i32,
    )
}

impl Lanes {
    /// Notes `dt_s` seconds of a cooperative aircraft at `lat_deg`, `lon_deg` flying
    /// heading `heading_rad` (from north, clockwise). Non-finite input is ignored.
    ///
    /// # Units
    /// Degrees, radians, seconds.
    pub fn note(&mut self, lat_deg: f64, lon_deg: f64, heading_rad: f64, dt_s: f64, cell_deg: f64) {
        if !(lat_deg.is_finite()
            && lon_deg.is_finite()
            && heading_rad.is_finite()
            && dt_s > 0.0
            && cell_deg > 0.0)
        {
            return;
        }
        let c = self
            .cells
            .entry(cell(lat_deg, lon_deg, cell_deg))
            .or_insert([0.0; SECTORS]);
        c[sector(heading_rad)] += dt_s as f32;
    }

    /// Seconds cooperative aircraft have flown within one cell of `lat_deg`, `lon_deg`
    /// on a heading within one sector of `heading_rad`.
    ///
    /// # Units
    /// Degrees and radians in, seconds out.
    pub fn support(&self, lat_deg: f64, lon_deg: f64, heading_rad: f64, cell_deg: f64) -> f64 {
        if !(lat_deg.is_finite() && lon_deg.is_finite() && heading_rad.is_finite())
            || cell_deg <= 0.0
            || self.cells.is_empty()
        {
            return 0.0;
        }
        let (i, j) = cell(lat_deg, lon_deg, cell_deg);
        let s = sector(heading_rad);
        let mut total = 0.0;
        for di in -1..=1 {
            for dj in -1..=1 {
                if let Some(c) = self.cells.get(&(i + di, j + dj)) {
                    for k in [SECTORS - 1, 0, 1] {
                        total += f64::from(c[(s + k) % SECTORS]);
                    }
                }
            }
        }
        total
    }

    /// Number of cells with traffic.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// True if no traffic has been noted.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lane_supports_its_own_heading_only() {
        let mut l = Lanes::default();
        let cell_deg = 0.02;
        let hdg = 330f64.to_radians();
        // A minute of departures along 330° from (38.06, 128.67).
        for k in 0..60 {
            let d = k as f64 * 80.0 / 111_000.0;
            l.note(
                38.06 + d * hdg.cos(),
                128.67 + d * hdg.sin() / 0.79,
                hdg,
                1.0,
                cell_deg,
            );
        }
        let on_lane = l.support(38.08, 128.655, 335f64.to_radians(), cell_deg);
        assert!(on_lane >= 10.0, "{on_lane}");
        // Across the lane, or along it the other way: nothing.
        assert_eq!(l.support(38.08, 128.655, 60f64.to_radians(), cell_deg), 0.0);
        assert_eq!(
            l.support(38.08, 128.655, 150f64.to_radians(), cell_deg),
            0.0
        );
        // Far from it: nothing.
        assert_eq!(l.support(37.5, 128.655, 330f64.to_radians(), cell_deg), 0.0);
        // Headings wrap: 355° and 5° are neighbours.
        let mut w = Lanes::default();
        w.note(38.0, 128.0, 359f64.to_radians(), 5.0, cell_deg);
        assert_eq!(w.support(38.0, 128.0, 1f64.to_radians(), cell_deg), 5.0);
        // Bad input is ignored.
        w.note(f64::NAN, 128.0, 0.0, 5.0, cell_deg);
        assert_eq!(w.len(), 1);
        assert_eq!(w.support(f64::NAN, 128.0, 0.0, cell_deg), 0.0);
    }
}
