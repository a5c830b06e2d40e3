//! How often each radar plots a track at each range, learned from its own tracks.
//!
//! A radar plots a small, low drone nearly every scan close in and one scan in several
//! far out, where the echo sinks into the noise. How long a track may go without a plot
//! before its silence means "gone" therefore depends on where it is, not only on the
//! track's own past: a track 13 km from a radar that has had no plot for 30 s is almost
//! surely clutter that happened to line up, while one 70 km out may simply be between
//! two lucky scans. The map keeps, per radar and per range bin, the mean gap between
//! consecutive plots of that radar on its confirmed, non-cooperative tracks (the drones
//! and birds it is actually following, not the airliners whose big echoes it never
//! misses). Nothing about the radar is declared: scan period and sensitivity both show
//! up in the gaps.
//!
//! Deterministic engine state, kept per radar: a shard that owns a region owns the
//! radars in it.

use crate::index::{FxMap, range_bin as bin};

/// Samples after which a bin's mean becomes a moving average (it follows slow changes:
/// weather, a radar's mode).
const MAX_WEIGHT: f64 = 500.0;

/// Per radar (sensor key), per range bin: the mean gap between its plots of the tracks
/// it follows, seconds, and the samples behind it.
#[derive(Debug, Clone, Default)]
pub struct RevisitMap {
    radars: FxMap<u64, Vec<(f64, f64)>>,
}

impl RevisitMap {
    /// Notes that `radar` plotted a track again after `gap_s` seconds at slant range
    /// `range_m` (bins of `bin_m` metres).
    ///
    /// # Units
    /// Metres and seconds.
    pub fn note(&mut self, radar: u64, range_m: f64, gap_s: f64, bin_m: f64) {
        let Some(b) = bin(range_m, bin_m) else {
            return;
        };
        if !(gap_s.is_finite() && gap_s > 0.0) {
            return;
        }
        let bins = self.radars.entry(radar).or_default();
        if bins.len() <= b {
            bins.resize(b + 1, (0.0, 0.0));
        }
        let (mean, n) = &mut bins[b];
        *n = (*n + 1.0).min(MAX_WEIGHT);
        *mean += (gap_s - *mean) / *n;
    }

    /// The mean gap between plots of `radar` at slant range `range_m`, seconds, if its
    /// bin holds at least `min_samples` gaps.
    ///
    /// # Units
    /// Metres and seconds.
    pub fn typical_gap(
        &self,
        radar: u64,
        range_m: f64,
        bin_m: f64,
        min_samples: f64,
    ) -> Option<f64> {
        let b = bin(range_m, bin_m)?;
        let &(mean, n) = self.radars.get(&radar)?.get(b)?;
        (n >= min_samples.max(1.0)).then_some(mean)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_the_gap_per_radar_and_range() {
        let mut m = RevisitMap::default();
        for k in 0..40 {
            m.note(1, 12_000.0, if k % 2 == 0 { 2.0 } else { 3.0 }, 5000.0);
            m.note(1, 71_000.0, 12.0, 5000.0);
        }
        m.note(2, 12_000.0, 30.0, 5000.0);
        assert!((m.typical_gap(1, 14_000.0, 5000.0, 30.0).unwrap() - 2.5).abs() < 1e-9);
        assert!((m.typical_gap(1, 70_500.0, 5000.0, 30.0).unwrap() - 12.0).abs() < 1e-9);
        // Another bin, another radar, or too few samples: nothing learned.
        assert_eq!(m.typical_gap(1, 40_000.0, 5000.0, 30.0), None);
        assert_eq!(m.typical_gap(2, 12_000.0, 5000.0, 30.0), None);
        assert_eq!(m.typical_gap(2, 12_000.0, 5000.0, 1.0), Some(30.0));
        assert_eq!(m.typical_gap(3, 12_000.0, 5000.0, 1.0), None);
    }

    #[test]
    fn ignores_bad_input_and_follows_change() {
        let mut m = RevisitMap::default();
        m.note(1, f64::NAN, 2.0, 5000.0);
        m.note(1, 1000.0, f64::INFINITY, 5000.0);
        m.note(1, 1000.0, -1.0, 5000.0);
        m.note(1, 1e9, 2.0, 5000.0);
        assert_eq!(m.typical_gap(1, 1000.0, 5000.0, 1.0), None);
        for _ in 0..2000 {
            m.note(1, 1000.0, 2.0, 5000.0);
        }
        for _ in 0..2000 {
            m.note(1, 1000.0, 8.0, 5000.0);
        }
        // A moving average after MAX_WEIGHT samples: the new regime dominates
        // (6 e^-4 ≈ 0.11 s of the old one left after 2,000 samples).
        let g = m.typical_gap(1, 1000.0, 5000.0, 1.0).unwrap();
        assert!(g > 7.8 && g <= 8.0, "{g}");
    }
}
