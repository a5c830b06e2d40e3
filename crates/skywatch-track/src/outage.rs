//! Whether a radar is down: silent altogether, not just missing one target.
//!
//! A working surveillance radar sends something nearly every scan: plots of what it
//! follows, and false plots (clutter, birds, angels). When it sends nothing at all for
//! several of its usual intervals between reports, it has failed, is in maintenance or
//! is jammed, and the silence of the tracks it was plotting says nothing about the
//! drones behind them: they fly on unseen. Deleting those tracks as "gone" after a few
//! missed scans, still marked as covered, told the warning engine that the drones had
//! ended where the radar stopped. A track whose newest fix is a down radar's plot is
//! instead out of coverage (`TrackSnapshot::in_coverage` false), and lives the plain
//! `delete_after_s`, not the radar's revisit limit.
//!
//! Why learned and not declared: the v1 format has no radar status message (ASTERIX
//! category 034's north markers would be one); each radar's own report rhythm is known
//! from its reports. A radar that sends little (no clutter, one far target) has long
//! usual intervals, so its misses do not look like an outage; and one that reports no
//! more often than it plots the track in question may be plotting nothing else, so
//! its silence when that target ends is the target's, not the radar's: the rule asks
//! the radar to report at least twice as often as it plotted the track.
//!
//! Deterministic engine state, kept per radar: a shard that owns a region owns the
//! radars in it.

use crate::index::FxMap;

/// Weight of a new interval in the moving average of a radar's report intervals.
const GAP_WEIGHT: f64 = 0.05;

/// Longest interval that enters the average, seconds: an outage is not a rhythm.
const MAX_GAP_S: f64 = 60.0;

/// Per radar (sensor key): time of its newest report and the moving average of the
/// intervals between its reports.
#[derive(Debug, Clone, Default)]
pub struct RadarOutages {
    radars: FxMap<u64, (f64, f64)>,
}

impl RadarOutages {
    /// Notes a report of `radar` measured at `t` (late reports do not move it back).
    ///
    /// # Units
    /// Seconds.
    pub fn note(&mut self, radar: u64, t: f64) {
        if !t.is_finite() {
            return;
        }
        match self.radars.get_mut(&radar) {
            None => {
                self.radars.insert(radar, (t, f64::NAN));
            }
            Some((newest, gap)) if t > *newest => {
                let d = (t - *newest).min(MAX_GAP_S);
                *gap = if gap.is_nan() {
                    d
                } else {
                    *gap + GAP_WEIGHT * (d - *gap)
                };
                *newest = t;
            }
            Some(_) => {}
        }
    }

    /// True if `radar`, whose usual interval between reports is at most `busy_s` (it
    /// reports more than the one track asking: other targets, clutter), has sent
    /// nothing at all for more than `min_s` and more than `gaps` of those intervals by
    /// `t`. A radar never heard, or heard once, is not down (nothing is known of it);
    /// nor is one that only ever plotted that track: when its one target ends it falls
    /// silent too. `gaps` = 0 turns this off.
    ///
    /// # Units
    /// Seconds.
    pub fn down(&self, radar: u64, t: f64, min_s: f64, gaps: f64, busy_s: f64) -> bool {
        if gaps <= 0.0 {
            return false;
        }
        self.radars.get(&radar).is_some_and(|&(newest, gap)| {
            gap.is_finite() && gap <= busy_s && t - newest > min_s.max(gaps * gap)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_radar_that_falls_silent_is_down_one_that_is_sparse_is_not() {
        let mut o = RadarOutages::default();
        // A busy radar: a report every 0.5 s for ten minutes, then nothing; the track
        // asking is plotted every 4 s.
        for k in 0..1200 {
            o.note(1, 0.5 * k as f64);
        }
        assert!(
            !o.down(1, 605.0, 10.0, 3.0, 2.0),
            "5 s of silence is a lull"
        );
        assert!(o.down(1, 611.0, 10.0, 3.0, 2.0), "11 s of total silence");
        // A late report does not move the newest time back.
        o.note(1, 500.0);
        assert!(o.down(1, 611.0, 10.0, 3.0, 2.0));
        // A sparse radar: mostly one far target plotted every 12 s, asked about
        // another track plotted every 30 s.
        for k in 0..50 {
            o.note(2, 12.0 * k as f64);
        }
        assert!(!o.down(2, 608.0, 10.0, 3.0, 15.0), "one or two misses");
        assert!(o.down(2, 625.0, 10.0, 3.0, 15.0), "three of its intervals");
        // The same radar asked about its one target (plotted every 12 s): when that
        // ends the radar falls silent, which says nothing of the radar.
        assert!(!o.down(2, 1588.0, 10.0, 3.0, 6.0));
        // Unknown, heard once, or the rule off: never down.
        assert!(!o.down(3, 1e6, 10.0, 3.0, 2.0));
        o.note(4, 0.0);
        assert!(!o.down(4, 1e6, 10.0, 3.0, 2.0));
        assert!(!o.down(1, 1e6, 10.0, 0.0, 2.0));
        // It comes back: up at once.
        o.note(1, 900.0);
        assert!(!o.down(1, 901.0, 10.0, 3.0, 2.0));
        // A radar whose reports come in one burst a scan (five plots in 0.5 s every
        // 12 s: clutter in one sector) is silent for 11.5 s of each scan. Asked with
        // the engine's floor of two of the track's 12 s gaps, it is up between bursts;
        // with 10 s alone it would be down every scan.
        for k in 0..300 {
            o.note(5, 12.0 * (k / 5) as f64 + 0.1 * (k % 5) as f64);
        }
        let last_burst = 12.0 * 59.0 + 0.4;
        assert!(!o.down(5, last_burst + 11.5, 24.0, 3.0, 6.0));
        assert!(o.down(5, last_burst + 11.5, 10.0, 3.0, 6.0));
        assert!(
            o.down(5, last_burst + 25.0, 24.0, 3.0, 6.0),
            "two scans of silence"
        );
    }
}
