//! End points: where the threats ahead ended their flight.
//!
//! A threat track that had been followed for a while vanishes either into a coverage
//! gap (it flies on and a new track takes it up further along) or because the flight
//! ended (a one-way attack drone dives on its aim point). A loss that no new track
//! takes up within `reacquire_s` becomes an end point; followers of a wave aim at the
//! same places, so their corridor samples may end there too. Deterministic engine state:
//! losses and end points are kept in the order they happened.

use std::collections::VecDeque;

use skywatch_geo::flat_distance_m;

use crate::config::EndConfig;

/// A loss not yet known to be an end.
#[derive(Debug, Clone, Copy)]
struct Loss {
    track: u64,
    t: f64,
    lat: f64,
    lon: f64,
    speed: f64,
}

/// The memory of losses and end points.
#[derive(Debug, Clone, Default)]
pub(crate) struct EndMemory {
    pending: Vec<Loss>,
    /// Confirmed end points: (time of the loss, lat, lon), oldest first.
    ends: VecDeque<(f64, f64, f64)>,
}

impl EndMemory {
    /// A threat track, last reported at `t` at (`lat`, `lon`) flying at `speed` m/s,
    /// is no longer reported.
    pub(crate) fn lost(&mut self, track: u64, t: f64, lat: f64, lon: f64, speed: f64) {
        self.pending.push(Loss {
            track,
            t,
            lat,
            lon,
            speed,
        });
    }

    /// A track is reported at `t` at (`lat`, `lon`); `new`: for the first time. A lost
    /// track that comes back, or a new one where a lost one could have flown by now,
    /// means the loss was a gap.
    pub(crate) fn seen(
        &mut self,
        cfg: &EndConfig,
        track: u64,
        new: bool,
        t: f64,
        lat: f64,
        lon: f64,
    ) {
        self.pending.retain(|l| {
            if l.track == track {
                return false;
            }
            !(new
                && t - l.t <= cfg.reacquire_s
                && flat_distance_m(l.lat, l.lon, lat, lon) <= cfg.reacquire_m + l.speed * (t - l.t))
        });
    }

    /// Confirms losses older than `reacquire_s` as end points and forgets old ones.
    pub(crate) fn advance(&mut self, cfg: &EndConfig, t: f64) {
        let ends = &mut self.ends;
        self.pending.retain(|l| {
            if t - l.t > cfg.reacquire_s {
                ends.push_back((l.t, l.lat, l.lon));
                false
            } else {
                true
            }
        });
        while ends
            .front()
            .is_some_and(|e| t - e.0 > cfg.max_age_s || ends.len() > cfg.max_points)
        {
            ends.pop_front();
        }
    }

    /// End points within `range_m` of (`lat`, `lon`), as (lat, lon).
    pub(crate) fn near(&self, lat: f64, lon: f64, range_m: f64) -> Vec<[f64; 2]> {
        self.ends
            .iter()
            .filter(|e| flat_distance_m(lat, lon, e.1, e.2) <= range_m)
            .map(|e| [e.1, e.2])
            .collect()
    }

    /// Number of end points known.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::M_PER_DEG_LAT;

    const LAT: f64 = 35.1;
    const LON: f64 = 129.0;

    #[test]
    fn a_loss_nobody_takes_up_becomes_an_end_and_is_forgotten() {
        let cfg = EndConfig::default();
        let mut m = EndMemory::default();
        m.lost(1, 100.0, LAT, LON, 50.0);
        // A track far from anywhere the lost one could have flown takes nothing up.
        m.seen(&cfg, 2, true, 160.0, LAT + 0.5, LON);
        m.advance(&cfg, 100.0 + cfg.reacquire_s);
        assert_eq!(m.len(), 0, "still pending at reacquire_s");
        m.advance(&cfg, 101.0 + cfg.reacquire_s);
        assert_eq!(m.near(LAT, LON, 10.0), vec![[LAT, LON]]);
        assert!(m.near(LAT + 0.1, LON, 1000.0).is_empty());
        m.advance(&cfg, 101.0 + cfg.max_age_s);
        assert_eq!(m.len(), 0);
    }

    #[test]
    fn a_loss_taken_up_is_a_gap_not_an_end() {
        let cfg = EndConfig::default();
        let mut m = EndMemory::default();
        // A new track 6 km on, 100 s later: the lost one could have flown there.
        m.lost(1, 100.0, LAT, LON, 50.0);
        m.seen(&cfg, 2, true, 200.0, LAT + 6000.0 / M_PER_DEG_LAT, LON);
        // The same track back after a gap.
        m.lost(3, 100.0, LAT, LON + 0.2, 50.0);
        m.seen(&cfg, 3, false, 150.0, LAT, LON + 0.25);
        // An old track that was already there is no taking up.
        m.lost(4, 100.0, LAT - 0.2, LON, 50.0);
        m.seen(&cfg, 5, false, 150.0, LAT - 0.2, LON);
        m.advance(&cfg, 1000.0);
        assert_eq!(m.near(LAT, LON, 1e6), vec![[LAT - 0.2, LON]]);
    }
}
