//! Why a report was not used, and the engine's counters.

use thiserror::Error;

/// A report the engine refused. Bad input never panics and never touches a track: it is
/// returned to the caller and counted in [`Stats`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error)]
pub enum Rejection {
    /// A number was NaN or infinite.
    #[error("non-finite value in `{0}`")]
    NonFinite(&'static str),
    /// A value outside its physical range (negative range, latitude above 90, ...).
    #[error("value of `{0}` out of range")]
    OutOfRange(&'static str),
    /// A standard deviation that is zero, negative or absurd.
    #[error("bad standard deviation `{0}`")]
    BadSigma(&'static str),
    /// Arrival before the measurement, or a measurement from the future.
    #[error("inconsistent times (t, rx)")]
    BadTime,
    /// Older than the configured maximum lateness.
    #[error("report too late")]
    TooLate,
    /// The same report (sensor, time, value) was already used.
    #[error("duplicate report")]
    Duplicate,
}

impl Rejection {
    /// All reasons, for counters.
    pub const COUNT: usize = 6;

    /// Dense index of the reason, `0..COUNT`.
    pub fn index(self) -> usize {
        match self {
            Rejection::NonFinite(_) => 0,
            Rejection::OutOfRange(_) => 1,
            Rejection::BadSigma(_) => 2,
            Rejection::BadTime => 3,
            Rejection::TooLate => 4,
            Rejection::Duplicate => 5,
        }
    }

    /// Short stable name of a reason index.
    pub fn name(index: usize) -> &'static str {
        [
            "non_finite",
            "out_of_range",
            "bad_sigma",
            "bad_time",
            "too_late",
            "duplicate",
        ]
        .get(index)
        .copied()
        .unwrap_or("other")
    }
}

/// Counters of what the engine did. Cheap to copy.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Stats {
    /// Reports accepted by validation.
    pub accepted: u64,
    /// Rejected reports, by [`Rejection::index`].
    pub rejected: [u64; Rejection::COUNT],
    /// Accepted reports that updated a track.
    pub associated: u64,
    /// Accepted reports measured earlier than the track state they updated.
    pub out_of_sequence: u64,
    /// Tracks started (tentative), confirmed, deleted and merged away.
    pub tracks_started: u64,
    pub tracks_confirmed: u64,
    pub tracks_deleted: u64,
    pub tracks_merged: u64,
    /// Tracks started by bearing triangulation.
    pub triangulations: u64,
    /// Tracks started from one node's bearings ([`crate::hearing`]).
    pub single_node_starts: u64,
    /// Tracks started from phone reports alone ([`crate::reporters`]).
    pub reporter_starts: u64,
    /// Of those, started tentative where fake reports are dense.
    pub reporter_dense_starts: u64,
    /// Reach constraints applied to bearing-located tracks.
    pub reach_constraints: u64,
    /// Numerically failed updates (skipped, track unchanged).
    pub failed_updates: u64,
}

impl Stats {
    /// Total rejected reports.
    pub fn rejected_total(&self) -> u64 {
        self.rejected.iter().sum()
    }
}
