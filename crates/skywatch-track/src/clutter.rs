//! Where each radar's false plots fall, learned from the plots no confirmed track takes.
//!
//! Why: a radar's false plots (ground clutter, angels, birds its extractor lets
//! through) are not spread evenly. They crowd the near ranges, and how many there are
//! depends on the radar and the ground around it. A tentative track is started on every
//! plot nothing else explains. The M-of-N rule confirms it after a few plots inside its
//! confirmation gate, and a young track's gate is wide. Where false plots are dense, the
//! gate catches enough of them, and clutter becomes a confirmed track. Ten times the
//! shipped clutter near the west-coast radars gave eight false tracks at any moment;
//! thirty times gave 146 (`bench/RESULTS.md`, tenth session).
//!
//! The remedy is the classic one (Blackman & Popoli 1999, §6.2; the clutter maps of
//! ATC trackers): a tentative track also keeps a log-likelihood ratio "target vs
//! false plots". Each plot that updates it adds `ln(Pd · N(ν; S) / (λ · Δt))`, where:
//! - `N(ν; S)` is the plot's likelihood under the track (the innovation density);
//! - `λ` is the density of this radar's false plots per second at that range, in the
//!   plot's own measurement space (range, azimuth and, if measured, elevation);
//! - `Δt` is the time since the track's previous plot from the radar: the longer the
//!   wait, the likelier a false plot has landed in the gate meanwhile.
//!
//! The track is confirmed only once the sum passes a threshold. Where false plots are
//! rare, each real plot adds ten or more, and the old rule decides as before. Where
//! they are dense, a track needs more plots, and tracks fed only by clutter do not
//! get enough.
//!
//! `λ` is learned per radar and per range bin, from the plots that started a tentative
//! track or updated one. Real targets contribute a few plots each before their tracks
//! confirm, which is small against the clutter wherever the clutter matters. Counts
//! decay with a memory of minutes, so the map follows weather and a radar's mode.
//! Elevation is spread over the band the false plots actually occupy (learned: its
//! spread), not a guessed layer.
//!
//! Deterministic engine state kept per radar: a shard that owns a region owns its
//! radars.

use crate::index::{FxMap, range_bin as bin};

/// Smallest elevation band the false plots are taken to spread over, radians (0.2°:
/// a few plots at one elevation do not make an infinitely thin, infinitely dense
/// layer).
const MIN_EL_BAND_RAD: f64 = 0.0035;

/// One range bin of one radar: exponentially decayed counts and elevation moments.
#[derive(Debug, Clone, Copy, Default)]
struct Bin {
    /// Decayed count of plots, as of `t_last`.
    w: f64,
    /// Decayed count, sum and sum of squares of the elevations of the plots that
    /// measured one.
    w_el: f64,
    s_el: f64,
    s_el2: f64,
    t_first: f64,
    t_last: f64,
}

/// Per radar (sensor key), per slant-range bin: the false-plot density.
#[derive(Debug, Clone, Default)]
pub struct ClutterMap {
    radars: FxMap<u64, Vec<Bin>>,
}

/// What the map knows of one spot: the log density of false plots there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Density {
    /// `ln` of plots per second per metre of range per radian of azimuth.
    pub ln_range_az: f64,
    /// `ln` of the same per radian of elevation too (for plots that measure it).
    pub ln_range_az_el: f64,
}

impl ClutterMap {
    /// Notes a plot of `radar` at slant range `range_m` (elevation `el_rad` if
    /// measured) at time `t` that no confirmed track took. `bin_m` is the bin size,
    /// `memory_s` the decay time.
    ///
    /// # Units
    /// Metres, radians, seconds.
    pub fn note(
        &mut self,
        radar: u64,
        range_m: f64,
        el_rad: Option<f64>,
        t: f64,
        bin_m: f64,
        memory_s: f64,
    ) {
        let Some(b) = bin(range_m, bin_m) else {
            return;
        };
        if !(t.is_finite() && memory_s > 0.0) {
            return;
        }
        let bins = self.radars.entry(radar).or_default();
        if bins.len() <= b {
            bins.resize(b + 1, Bin::default());
        }
        let bin = &mut bins[b];
        if bin.w == 0.0 {
            bin.t_first = t;
            bin.t_last = t;
        }
        // Reports come nearly in order; a late one is added undecayed.
        if t > bin.t_last {
            let f = (-(t - bin.t_last) / memory_s).exp();
            bin.w *= f;
            bin.w_el *= f;
            bin.s_el *= f;
            bin.s_el2 *= f;
            bin.t_last = t;
        }
        bin.t_first = bin.t_first.min(t);
        bin.w += 1.0;
        if let Some(e) = el_rad.filter(|e| e.is_finite()) {
            bin.w_el += 1.0;
            bin.s_el += e;
            bin.s_el2 += e * e;
        }
    }

    /// The density of `radar`'s false plots at slant range `range_m` at time `t`, once
    /// its bin has seen at least `min_plots` plots over at least a minute.
    ///
    /// The rate is the decayed count over the decayed span it was gathered in
    /// (`memory_s · (1 − e^(−T/memory_s))` for a span `T`), which is unbiased for
    /// plots arriving at a steady rate however long the map has been running.
    ///
    /// # Units
    /// Metres, seconds; the result is per second per metre per radian (per radian²
    /// with elevation).
    pub fn density(
        &self,
        radar: u64,
        range_m: f64,
        t: f64,
        bin_m: f64,
        memory_s: f64,
        min_plots: f64,
    ) -> Option<Density> {
        let b = bin(range_m, bin_m)?;
        let bin = *self.radars.get(&radar)?.get(b)?;
        let span = t.max(bin.t_last) - bin.t_first;
        if bin.w < min_plots.max(1.0) || span < 60.0 || memory_s <= 0.0 {
            return None;
        }
        let decay = (-(t - bin.t_last).max(0.0) / memory_s).exp();
        let window = memory_s * (1.0 - (-span / memory_s).exp());
        let rate = bin.w * decay / window;
        let ln_range_az = (rate / (bin_m * std::f64::consts::TAU)).ln();
        // Elevation band: a uniform band of width √12 σ has spread σ.
        let band = if bin.w_el >= 2.0 {
            let mean = bin.s_el / bin.w_el;
            let var = (bin.s_el2 / bin.w_el - mean * mean).max(0.0);
            (12.0 * var).sqrt().max(MIN_EL_BAND_RAD)
        } else {
            MIN_EL_BAND_RAD
        };
        Some(Density {
            ln_range_az,
            ln_range_az_el: ln_range_az - band.ln(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BIN: f64 = 5000.0;
    const MEM: f64 = 600.0;

    #[test]
    fn a_steady_rate_is_recovered_in_measurement_space() {
        let mut map = ClutterMap::default();
        // Two plots a second in the 10-15 km bin for 20 minutes, elevations spread
        // evenly over 0-2°.
        let band = 2f64.to_radians();
        for k in 0..2400 {
            let t = k as f64 * 0.5;
            let el = band * ((k * 7919) % 1000) as f64 / 1000.0;
            map.note(3, 12_000.0, Some(el), t, BIN, MEM);
        }
        let d = map.density(3, 14_000.0, 1199.5, BIN, MEM, 20.0).unwrap();
        let want = 2.0 / (BIN * std::f64::consts::TAU);
        assert!(
            (d.ln_range_az - want.ln()).abs() < 0.05,
            "{} vs {}",
            d.ln_range_az.exp(),
            want
        );
        let want_el = want / band;
        assert!(
            (d.ln_range_az_el - want_el.ln()).abs() < 0.05,
            "{} vs {}",
            d.ln_range_az_el.exp(),
            want_el
        );
        // Other bins and radars know nothing.
        assert!(map.density(3, 17_000.0, 1200.0, BIN, MEM, 20.0).is_none());
        assert!(map.density(4, 12_000.0, 1200.0, BIN, MEM, 20.0).is_none());
    }

    #[test]
    fn silence_fades_the_density_and_too_little_knows_nothing() {
        let mut map = ClutterMap::default();
        for k in 0..600 {
            map.note(1, 3000.0, None, k as f64, BIN, MEM);
        }
        let now = map.density(1, 3000.0, 600.0, BIN, MEM, 20.0).unwrap();
        let later = map.density(1, 3000.0, 600.0 + MEM, BIN, MEM, 20.0).unwrap();
        // A memory's silence divides the count by e; the span it covers has grown from
        // 600 to 1,200 s, which the decayed window accounts for.
        let window = |span: f64| MEM * (1.0 - (-span / MEM).exp());
        let want = 1.0 + (window(1200.0) / window(600.0)).ln();
        assert!((now.ln_range_az - later.ln_range_az - want).abs() < 0.02);
        // Ten plots, or plots over less than a minute: not yet a map.
        let mut map = ClutterMap::default();
        for k in 0..10 {
            map.note(1, 3000.0, None, 10.0 * k as f64, BIN, MEM);
        }
        assert!(map.density(1, 3000.0, 100.0, BIN, MEM, 20.0).is_none());
        let mut map = ClutterMap::default();
        for k in 0..100 {
            map.note(1, 3000.0, None, 0.5 * k as f64, BIN, MEM);
        }
        assert!(map.density(1, 3000.0, 50.0, BIN, MEM, 20.0).is_none());
    }

    #[test]
    fn bad_input_is_ignored() {
        let mut map = ClutterMap::default();
        for t in [f64::NAN, f64::INFINITY] {
            map.note(1, 3000.0, None, t, BIN, MEM);
        }
        for r in [f64::NAN, -5.0, 1e9] {
            map.note(1, r, None, 1.0, BIN, MEM);
        }
        map.note(1, 3000.0, Some(f64::NAN), 1.0, 0.0, MEM);
        assert!(map.radars.is_empty());
        assert!(map.density(1, f64::NAN, 1.0, BIN, MEM, 1.0).is_none());
    }
}
