//! Warning figures: incursions of drones and decoys into warning areas, whether and how
//! early each was warned, and how much of the warned time was justified. Every rule is
//! the spec's ("Scoring definitions"); where the spec leaves a detail open, the choice is
//! written next to the code that makes it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use skywatch_areas::{AreaId, AreaSet};
use skywatch_scenario::{AlertRecord, AlertState};

use crate::truth::ObjectPath;

/// An object must have been outside an area this long before entering again for the
/// entry to count as a new incursion.
///
/// # Units
/// Seconds.
pub const REENTRY_OUTSIDE_S: f64 = 30.0;
/// An `on` interval is justified (precision) if a threat is inside during it or this
/// long after its end.
///
/// # Units
/// Seconds.
pub const PRECISION_AFTER_S: f64 = 120.0;
/// An incursion is fresh if no threat was inside the area this long before the entry.
///
/// # Units
/// Seconds.
pub const FRESH_BEFORE_S: f64 = 1200.0;
/// A warned second s is justified if a threat is inside at some time in
/// [s − this, s + [`JUSTIFIED_AFTER_S`]].
///
/// # Units
/// Seconds.
pub const JUSTIFIED_BEFORE_S: f64 = 120.0;
/// See [`JUSTIFIED_BEFORE_S`].
///
/// # Units
/// Seconds.
pub const JUSTIFIED_AFTER_S: f64 = 1200.0;
/// Timely means a lead of at least min(this, half the oracle lead).
///
/// # Units
/// Seconds.
pub const TIMELY_CAP_S: f64 = 60.0;
/// "A warning that starts in the second of entry is no warning": with 1 Hz truth, the
/// second of entry is the second that ends at the entry sample, so a timely warning needs
/// a lead of at least this.
///
/// # Units
/// Seconds.
pub const MIN_LEAD_S: f64 = 1.0;

/// One entry of a drone or decoy into an area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Incursion {
    pub object: String,
    /// The area's `code`.
    pub area: String,
    /// Time of the first truth sample inside.
    ///
    /// # Units
    /// Seconds.
    pub entry_t: f64,
}

/// An incursion and how it was warned.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncursionOutcome {
    #[serde(flatten)]
    pub incursion: Incursion,
    /// Entry time minus the start of the `on` interval covering it; `None` if unwarned.
    ///
    /// # Units
    /// Seconds.
    pub lead_s: Option<f64>,
    /// Entry time minus the earliest `t` of a report labelled with the object; `None`
    /// without labels or without any such report.
    ///
    /// # Units
    /// Seconds.
    pub oracle_lead_s: Option<f64>,
    /// Some report of the object was taken before the entry (always true without labels).
    pub observable: bool,
    pub timely: bool,
    /// No drone or decoy was inside the area during the 1200 s before the entry.
    pub fresh: bool,
}

impl IncursionOutcome {
    pub fn warned(&self) -> bool {
        self.lead_s.is_some()
    }

    /// lead / oracle lead, when both exist and the oracle lead is positive.
    pub fn lead_over_oracle(&self) -> Option<f64> {
        match (self.lead_s, self.oracle_lead_s) {
            (Some(l), Some(o)) if o > 0.0 => Some(l / o),
            _ => None,
        }
    }
}

/// One `on` interval of an area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertInterval {
    pub area: String,
    /// # Units
    /// Seconds.
    pub start: f64,
    /// The next `off` for the area, or the end of the scenario.
    ///
    /// # Units
    /// Seconds.
    pub end: f64,
    /// Whether a drone or decoy was inside the area during the interval or within 120 s
    /// after it (counts towards precision). Set by [`score_warnings`]; `false` from
    /// [`alert_intervals`] alone.
    pub justified: bool,
}

/// Warning figures, as the spec's scoring section defines them. Shares whose
/// denominator is zero are `None`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WarningScore {
    pub incursions: usize,
    pub observable_incursions: usize,
    pub warned_incursions: usize,
    /// Warned incursions / incursions.
    pub recall: Option<f64>,
    /// Warned observable incursions / observable incursions.
    pub recall_observable: Option<f64>,
    /// Share of observable incursions warned with lead ≥ min(60 s, oracle lead / 2).
    pub timely_recall: Option<f64>,
    /// Median lead over warned incursions.
    ///
    /// # Units
    /// Seconds.
    pub median_lead_s: Option<f64>,
    /// Median of lead / oracle lead over warned incursions with a positive oracle lead.
    pub median_lead_over_oracle: Option<f64>,
    pub fresh_incursions: usize,
    pub fresh_observable_incursions: usize,
    /// Timely recall over fresh observable incursions.
    pub fresh_timely_recall: Option<f64>,
    /// Median of lead / oracle lead over fresh observable incursions, unwarned ones
    /// counting 0.
    pub fresh_median_lead_over_oracle: Option<f64>,
    /// Number of `on` intervals.
    pub alerts: usize,
    /// Distinct areas that were ever `on`.
    pub areas_warned: usize,
    /// `on` intervals naming an area code not in `areas.geojson` (counted unjustified).
    pub alerts_unknown_area: usize,
    /// Share of `on` intervals during which, or within 120 s after, a threat was inside.
    pub precision: Option<f64>,
    /// Share of warned whole seconds with a threat inside at some time in
    /// [s − 120, s + 1200].
    pub justified_share: Option<f64>,
    /// Total `on` time summed over areas.
    ///
    /// # Units
    /// Hours.
    pub warned_area_hours: f64,
    pub outcomes: Vec<IncursionOutcome>,
    pub intervals: Vec<AlertInterval>,
}

/// When drones and decoys were inside each area (sample times, sorted).
#[derive(Debug, Clone, Default)]
pub struct Occupancy {
    by_area: HashMap<AreaId, Vec<f64>>,
}

impl Occupancy {
    /// Whether some threat sample inside `area` has lo ≤ t ≤ hi (or t < hi when
    /// `hi_open`).
    ///
    /// # Units
    /// Seconds.
    pub fn any_inside(&self, area: AreaId, lo: f64, hi: f64, hi_open: bool) -> bool {
        let Some(ts) = self.by_area.get(&area) else {
            return false;
        };
        let k = ts.partition_point(|&t| t < lo);
        match ts.get(k) {
            Some(&t) => t < hi || (!hi_open && t == hi),
            None => false,
        }
    }
}

/// Finds the incursions of drones and decoys (other classes are skipped) into `areas`,
/// and records when threats were inside each area.
///
/// Rules: an entry is a truth sample inside an area whose previous sample was outside;
/// it counts if the object was never inside before, or if it had been outside for at
/// least 30 s, measured from its first sample outside to the entry sample. The first
/// sample of an object makes no incursion. Samples are taken in order of time.
pub fn extract_incursions(paths: &[ObjectPath], areas: &AreaSet) -> (Vec<Incursion>, Occupancy) {
    struct State {
        inside: bool,
        outside_since: f64,
    }
    let mut out = Vec::new();
    let mut occ = Occupancy::default();
    for path in paths.iter().filter(|p| p.class.is_threat()) {
        let mut state: BTreeMap<AreaId, State> = BTreeMap::new();
        for (k, s) in path.samples.iter().enumerate() {
            let now: BTreeSet<AreaId> = areas.containing(s.lat, s.lon).collect();
            for &a in &now {
                occ.by_area.entry(a).or_default().push(s.t);
                match state.get_mut(&a) {
                    None => {
                        if k > 0 {
                            out.push(Incursion {
                                object: path.id.clone(),
                                area: areas.get(a).code.to_string(),
                                entry_t: s.t,
                            });
                        }
                        state.insert(
                            a,
                            State {
                                inside: true,
                                outside_since: f64::NAN,
                            },
                        );
                    }
                    Some(st) => {
                        if !st.inside && s.t - st.outside_since >= REENTRY_OUTSIDE_S {
                            out.push(Incursion {
                                object: path.id.clone(),
                                area: areas.get(a).code.to_string(),
                                entry_t: s.t,
                            });
                        }
                        st.inside = true;
                    }
                }
            }
            for (a, st) in state.iter_mut() {
                if st.inside && !now.contains(a) {
                    st.inside = false;
                    st.outside_since = s.t;
                }
            }
        }
    }
    for ts in occ.by_area.values_mut() {
        ts.sort_by(f64::total_cmp);
    }
    out.sort_by(|a, b| {
        a.entry_t
            .total_cmp(&b.entry_t)
            .then_with(|| a.area.cmp(&b.area))
    });
    (out, occ)
}

/// Turns alert lines into `on` intervals: from an `on` line to the next `off` line for
/// that area, or to `end_t`. Repeated `on` lines extend nothing (the interval already
/// runs); an `off` without a preceding `on` is ignored. Lines are taken in order of `t`
/// (stable for ties, so file order decides between equal times).
///
/// # Units
/// `end_t` in seconds.
pub fn alert_intervals(alerts: &[AlertRecord], end_t: f64) -> Vec<AlertInterval> {
    let mut sorted: Vec<&AlertRecord> = alerts.iter().collect();
    sorted.sort_by(|a, b| a.t.total_cmp(&b.t));
    let mut open: BTreeMap<&str, f64> = BTreeMap::new();
    let mut out = Vec::new();
    for a in sorted {
        match a.state {
            AlertState::On => {
                open.entry(a.area.as_str()).or_insert(a.t);
            }
            AlertState::Off => {
                if let Some(start) = open.remove(a.area.as_str()) {
                    out.push(AlertInterval {
                        area: a.area.clone(),
                        start,
                        end: a.t,
                        justified: false,
                    });
                }
            }
        }
    }
    for (area, start) in open {
        out.push(AlertInterval {
            area: area.to_string(),
            start,
            end: end_t.max(start),
            justified: false,
        });
    }
    out.sort_by(|a, b| a.area.cmp(&b.area).then(a.start.total_cmp(&b.start)));
    out
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

fn share(num: usize, den: usize) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

/// Scores warnings against truth.
///
/// `first_report_t` maps object id to the earliest `t` of a report labelled with it;
/// `None` means the scenario has no labels, in which case every incursion counts as
/// observable and oracle leads are unknown. `end_t` closes intervals still `on`.
///
/// # Units
/// Times in seconds.
pub fn score_warnings(
    paths: &[ObjectPath],
    first_report_t: Option<&HashMap<String, f64>>,
    alerts: &[AlertRecord],
    areas: &AreaSet,
    end_t: f64,
) -> WarningScore {
    let (incursions, occ) = extract_incursions(paths, areas);
    let mut intervals = alert_intervals(alerts, end_t);
    let mut by_area: HashMap<&str, Vec<&AlertInterval>> = HashMap::new();
    for iv in &intervals {
        by_area.entry(iv.area.as_str()).or_default().push(iv);
    }

    let outcomes: Vec<IncursionOutcome> = incursions
        .into_iter()
        .map(|inc| {
            let lead_s = by_area.get(inc.area.as_str()).and_then(|ivs| {
                ivs.iter()
                    .find(|iv| iv.start <= inc.entry_t && inc.entry_t <= iv.end)
                    .map(|iv| inc.entry_t - iv.start)
            });
            let (oracle_lead_s, observable) = match first_report_t {
                None => (None, true),
                Some(m) => match m.get(&inc.object) {
                    Some(&t0) => (Some(inc.entry_t - t0), t0 < inc.entry_t),
                    None => (None, false),
                },
            };
            let need = TIMELY_CAP_S.min(oracle_lead_s.map_or(f64::INFINITY, |o| o / 2.0));
            let timely = observable && lead_s.is_some_and(|l| l >= MIN_LEAD_S && l >= need);
            let fresh = areas.by_code(&inc.area).is_some_and(|a| {
                !occ.any_inside(a, inc.entry_t - FRESH_BEFORE_S, inc.entry_t, true)
            });
            IncursionOutcome {
                incursion: inc,
                lead_s,
                oracle_lead_s,
                observable,
                timely,
                fresh,
            }
        })
        .collect();

    let observable: Vec<&IncursionOutcome> = outcomes.iter().filter(|o| o.observable).collect();
    let warned: Vec<&IncursionOutcome> = outcomes.iter().filter(|o| o.warned()).collect();
    let fresh_obs: Vec<&IncursionOutcome> =
        observable.iter().copied().filter(|o| o.fresh).collect();

    // Precision, justified share and area-hours over the intervals.
    let mut justified_intervals = 0;
    let mut unknown = 0;
    let (mut on_seconds, mut justified_seconds) = (0usize, 0usize);
    let mut hours = 0.0;
    for iv in &mut intervals {
        hours += (iv.end - iv.start) / 3600.0;
        let area = areas.by_code(&iv.area);
        if area.is_none() {
            unknown += 1;
        }
        iv.justified =
            area.is_some_and(|a| occ.any_inside(a, iv.start, iv.end + PRECISION_AFTER_S, false));
        if iv.justified {
            justified_intervals += 1;
        }
        // Whole seconds s with start ≤ s < end.
        let mut s = iv.start.ceil();
        while s < iv.end {
            on_seconds += 1;
            if area.is_some_and(|a| {
                occ.any_inside(a, s - JUSTIFIED_BEFORE_S, s + JUSTIFIED_AFTER_S, false)
            }) {
                justified_seconds += 1;
            }
            s += 1.0;
        }
    }

    WarningScore {
        incursions: outcomes.len(),
        observable_incursions: observable.len(),
        warned_incursions: warned.len(),
        recall: share(warned.len(), outcomes.len()),
        recall_observable: share(
            observable.iter().filter(|o| o.warned()).count(),
            observable.len(),
        ),
        timely_recall: share(
            observable.iter().filter(|o| o.timely).count(),
            observable.len(),
        ),
        median_lead_s: median(warned.iter().filter_map(|o| o.lead_s).collect()),
        median_lead_over_oracle: median(
            warned.iter().filter_map(|o| o.lead_over_oracle()).collect(),
        ),
        fresh_incursions: outcomes.iter().filter(|o| o.fresh).count(),
        fresh_observable_incursions: fresh_obs.len(),
        fresh_timely_recall: share(
            fresh_obs.iter().filter(|o| o.timely).count(),
            fresh_obs.len(),
        ),
        fresh_median_lead_over_oracle: median(
            fresh_obs
                .iter()
                .filter(|o| o.oracle_lead_s.is_some_and(|x| x > 0.0))
                .map(|o| o.lead_over_oracle().unwrap_or(0.0))
                .collect(),
        ),
        alerts: intervals.len(),
        areas_warned: intervals
            .iter()
            .map(|iv| iv.area.as_str())
            .collect::<BTreeSet<_>>()
            .len(),
        alerts_unknown_area: unknown,
        precision: share(justified_intervals, intervals.len()),
        justified_share: share(justified_seconds, on_seconds),
        warned_area_hours: hours,
        outcomes,
        intervals,
    }
}
