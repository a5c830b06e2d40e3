//! Typed engine configuration. Every field has a default that suits the v1 scenarios;
//! a TOML file only needs the fields it changes.

use serde::Deserialize;

use crate::imm::ImmConfig;

/// The whole engine's configuration.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct EngineConfig {
    pub imm: ImmConfig,
    pub gating: GatingConfig,
    pub association: AssociationConfig,
    pub initiation: InitiationConfig,
    pub hearing: HearingConfig,
    pub life: LifeConfig,
    pub sensors: SensorNoiseConfig,
    pub classify: ClassifyConfig,
    pub reporters: ReporterConfig,
}

/// Gating, association and the spatial index.
///
/// # Units
/// `cell_m`, `margin_m`, `bearing_range_m` metres; `max_speed_mps` m/s;
/// `batch_window_s`, `max_lateness_s` seconds; `gate_prob` a probability.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GatingConfig {
    /// Probability mass inside the chi-square gate (per measurement dimension).
    pub gate_prob: f64,
    /// Edge of the spatial hash cells (ECEF cubes).
    pub cell_m: f64,
    /// Extra search radius around a measurement, beyond its own extent.
    pub margin_m: f64,
    /// Fastest object tracked: bounds how far a track moves between index rebuilds and
    /// back to a late measurement's time.
    pub max_speed_mps: f64,
    /// How far along a bearing ray (or a 2D radar's elevation arc) to look for tracks.
    pub bearing_range_m: f64,
    /// Reports of one sensor taken within this span are associated jointly (GNN or
    /// JPDA): one look of the sensor. Well under any scan period (radars scan every
    /// 2-10 s), so a batch never holds two plots of one target; 1 s used to, and cost
    /// false tracks (DMZ GOSPA 256.8 against 213.1 m at 0.5 s, `bench/RESULTS.md`).
    pub batch_window_s: f64,
    /// Reports older than this (relative to the newest measurement time) are rejected.
    pub max_lateness_s: f64,
}

impl Default for GatingConfig {
    fn default() -> Self {
        GatingConfig {
            gate_prob: 0.999,
            cell_m: 4000.0,
            margin_m: 1500.0,
            max_speed_mps: 350.0,
            bearing_range_m: 6000.0,
            batch_window_s: 0.5,
            max_lateness_s: 180.0,
        }
    }
}

/// How a sensor batch's reports are shared out among the tracks whose gates they fall in.
///
/// ```toml
/// [association]
/// method = "jpda"            # or "gnn" (the default)
/// [association.jpda]
/// p_detection = 0.7
/// clutter_per_km2 = 1e-3
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct AssociationConfig {
    pub method: AssociationMethod,
    /// Used when `method` is `jpda`.
    pub jpda: JpdaConfig,
}

/// Association method, on the independent clusters of one sensor batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum AssociationMethod {
    /// Global nearest neighbour: one optimal hard assignment per cluster.
    #[default]
    Gnn,
    /// Joint probabilistic data association: every track is updated with the
    /// probability-weighted mixture of the reports in its gate.
    Jpda,
}

/// What a cluster too large for exact JPDA enumeration falls back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum JpdaFallback {
    /// Fitzgerald's "cheap JPDA" closed-form approximation of the marginals.
    #[default]
    Cheap,
    /// The GNN hard assignment of that cluster.
    Gnn,
}

/// Parameters of JPDA. The defaults come from the v1 sensor models, not from a fit to
/// one scenario (see `bench/configs/jpda.toml`).
///
/// # Units
/// `p_detection` and `initiate_below` probabilities; `clutter_per_km2` false reports per
/// sensor scan (batch) per km² of ground; `clutter_layer_m` metres (the height band
/// false reports are spread over, to turn the areal density into a volume density);
/// the `max_*` limits are counts.
///
/// The clutter density is turned into each report's own measurement space by the
/// volume element of its geometry: a 3D radar plot `ρ r² cos(el)` per (m·rad²), a 2D
/// plot `ρₐ r` per (m·rad), a bearing `ρₐ R²/2` per rad (`R` the gating bearing range),
/// a bearing with elevation `ρ R³/3` per rad², a position fix `ρ` per m³, where
/// `ρₐ = clutter_per_km2 / 1e6` and `ρ = ρₐ / clutter_layer_m`.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JpdaConfig {
    /// Probability that a track's object is detected in a sensor scan that reaches it.
    pub p_detection: f64,
    /// Areal density of false reports per scan.
    pub clutter_per_km2: f64,
    /// Height band the false reports are spread over.
    pub clutter_layer_m: f64,
    /// Clusters with more tracks than this use the fallback.
    pub max_cluster_tracks: usize,
    /// Clusters with more reports than this use the fallback (at most 64).
    pub max_cluster_reports: usize,
    /// Clusters whose count of feasible joint events may exceed this use the fallback
    /// (the bound `∏ (1 + gated reports of track t)` is checked before enumerating).
    pub max_hypotheses: usize,
    pub fallback: JpdaFallback,
    /// A gated report whose largest association probability is below this may start a
    /// new track (a report in no gate always may, as with GNN).
    pub initiate_below: f64,
}

impl Default for JpdaConfig {
    fn default() -> Self {
        JpdaConfig {
            p_detection: 0.7,
            clutter_per_km2: 1e-3,
            clutter_layer_m: 2000.0,
            max_cluster_tracks: 8,
            max_cluster_reports: 16,
            max_hypotheses: 4096,
            fallback: JpdaFallback::Cheap,
            initiate_below: 0.1,
        }
    }
}

/// Track initiation from plots, fixes and bearings.
///
/// # Units
/// `*_sd_*` metres or m/s; `prior_alt_m` metres above the ellipsoid; `*_s` seconds;
/// `min_crossing_deg` degrees.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InitiationConfig {
    /// Initial velocity spread of a track started from positions only.
    pub init_sd_vel: f64,
    /// Initial turn-rate spread, rad/s.
    pub init_sd_turn: f64,
    /// Altitude assumed when nothing measures it (2D radar, bearings without elevation).
    pub prior_alt_m: f64,
    pub prior_sd_alt_m: f64,
    /// Confirmation score a tentative track needs (plots and fixes score 1, fixed
    /// bearings `bearing_score`, phone reports 0, or 1 on a track phone reports alone
    /// started).
    pub confirm_score: f64,
    pub bearing_score: f64,
    /// A tentative track is not confirmed before this age.
    pub confirm_min_age_s: f64,
    /// Probability of the tighter gate inside which a hit counts towards confirmation.
    pub confirm_gate_prob: f64,
    /// Hits of one sensor closer in time than this count once (one scan).
    pub min_scan_gap_s: f64,
    /// Time window in which bearings are triangulated.
    pub triangulation_window_s: f64,
    /// Independent sensors whose bearings must meet at a point to start a track.
    pub min_bearings: usize,
    /// Smallest angle between two rays used for an intersection.
    pub min_crossing_deg: f64,
    /// Support gate for a bearing through a candidate point, in its own sigmas.
    pub support_sigmas: f64,
    /// Whether bearings from mobile reporters (people) may start tracks. Off by default:
    /// they are noisy, late and sometimes fake; they still update existing tracks.
    pub from_mobile: bool,
    /// Log-likelihood ratio (target against false plots) a tentative track located by
    /// one radar's plots alone needs before it is confirmed, besides `confirm_score`
    /// ([`crate::clutter`]); 0 turns the test off. `ln 10⁶`: a track fed by false plots
    /// alone passes it about once in a million starts (Wald's bound). Where false plots
    /// are rare a real plot adds 10 or more, so two or three pass it and the score
    /// decides as before.
    pub confirm_llr: f64,
    /// The radar clutter map: range bin, memory (decay time) and the plots a bin needs
    /// before its density is used (until then, and for tracks with other support, the
    /// score alone decides).
    pub clutter_bin_m: f64,
    pub clutter_memory_s: f64,
    pub clutter_min_plots: f64,
}

impl Default for InitiationConfig {
    fn default() -> Self {
        InitiationConfig {
            init_sd_vel: 80.0,
            init_sd_turn: 0.02,
            prior_alt_m: 1200.0,
            prior_sd_alt_m: 1500.0,
            confirm_score: 4.0,
            bearing_score: 0.5,
            confirm_min_age_s: 2.0,
            confirm_gate_prob: 0.99,
            min_scan_gap_s: 0.8,
            triangulation_window_s: 2.0,
            min_bearings: 3,
            min_crossing_deg: 20.0,
            support_sigmas: 2.5,
            from_mobile: false,
            confirm_llr: 13.8,
            clutter_bin_m: 5000.0,
            clutter_memory_s: 600.0,
            clutter_min_plots: 20.0,
        }
    }
}

/// Bearings of nodes that declare how far they hear (`max_range_m` in the sensor
/// registry): initiation from one node, and the reach constraint (see
/// [`crate::hearing`]).
///
/// # Units
/// `*_s` seconds; `max_rate_deg_s` degrees per second; `*_frac` shares of the node's
/// reach; `agree_sigmas` bearing sigmas; `constrain_tail` a probability.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HearingConfig {
    /// Start tracks from the bearings of one node (when triangulation has nothing).
    pub single_node: bool,
    /// The node's bearings that must agree, each from another look.
    pub min_bearings: usize,
    /// ... within this span. A node hears a drone near it every 1-4 s, but towards the
    /// edge of its reach, where detection fades, one look in 5 s is common: 3 looks in
    /// 10 s start those, where 6 s started them 10-20 s later or not at all (nine seeds
    /// of the acoustic south wave: timely recall +0.7 points on average, precision
    /// +0.7; `bench/RESULTS.md`, tenth session). A node's false bearings (a few an
    /// hour, in random directions) seldom agree three times in any such window.
    pub window_s: f64,
    /// Bearings closer in time than this are one look.
    pub min_look_gap_s: f64,
    /// Agreement gate: this many combined sigmas ...
    pub agree_sigmas: f64,
    /// ... plus this angular rate times the time between them (a drone at 50 m/s
    /// passing 500 m from the node turns about 6 deg/s).
    pub max_rate_deg_s: f64,
    /// Start range along the ray, and its one sigma. Detections are spread over the
    /// disc of the reach, so the range of a target heard is distributed as `2r/R²` on
    /// `[0, R]`: mean `2R/3`, sigma `R/√18` ≈ 0.24 R (widened to 0.3 R: the reach is a
    /// hint, not a wall). Detection that fades towards the edge pulls the mean in (to
    /// `8R/15` for a probability falling as `1 − (r/R)²`); the spread covers both.
    pub start_range_frac: f64,
    pub start_sd_frac: f64,
    /// Bearings of the last counted sensor count again towards confirmation after this
    /// long when the sensor declares a reach (a node's ray of a young track then tests
    /// something: nothing beyond the reach sends it).
    pub same_node_gap_s: f64,
    /// Apply the reach constraint after bearing updates ...
    pub constrain: bool,
    /// ... of tracks with no plot or fix for this long ...
    pub constrain_after_s: f64,
    /// ... when at least this much of the track's range distribution lies beyond the
    /// node's reach.
    pub constrain_tail: f64,
    /// A tentative track started from one node dies after this long without an update
    /// (nodes report every 1-4 s; the triangulation ghosts' 4 s would kill it between
    /// two looks).
    pub tentative_timeout_s: f64,
    /// A confirmed track located by bearings alone, whose position is out of the reach
    /// of every working node, is deleted after this long without an update instead of
    /// after its usual gaps: there, silence is a hole in the coverage, not the end of
    /// the flight (a 4 km grid of 2.5 km reach leaves holes a drone crosses in 20-40 s).
    pub hole_delete_after_s: f64,
    /// Share of its reach out to which a node hears reliably: detection fades towards
    /// the edge of audibility (the sound falls with range into the noise), so silence
    /// counts as news only this close to a working node.
    pub reliable_frac: f64,
    /// How long a node is remembered as part of the network after its last report,
    /// seconds: a track beyond the reach of every node known, now and for five minutes
    /// along its path, is out of their coverage (`TrackSnapshot::in_coverage`), and
    /// nodes report only when they hear something.
    pub coverage_memory_s: f64,
}

impl Default for HearingConfig {
    fn default() -> Self {
        HearingConfig {
            single_node: true,
            min_bearings: 3,
            window_s: 10.0,
            min_look_gap_s: 0.8,
            agree_sigmas: 3.0,
            max_rate_deg_s: 6.0,
            start_range_frac: 2.0 / 3.0,
            start_sd_frac: 0.3,
            same_node_gap_s: 2.0,
            constrain: true,
            constrain_after_s: 10.0,
            constrain_tail: 0.05,
            tentative_timeout_s: 10.0,
            hole_delete_after_s: 45.0,
            reliable_frac: 0.7,
            coverage_memory_s: 3600.0,
        }
    }
}

/// Track life: coasting, deletion, re-anchoring, merging.
///
/// # Units
/// `*_s` seconds, `*_m` metres.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LifeConfig {
    /// A tentative track started from plots or fixes is deleted when it has had none
    /// for this long (bearings that fit it do not keep it alive).
    pub tentative_timeout_s: f64,
    /// A tentative track supported by bearings only dies faster: a triangulation ghost
    /// gets no continued support.
    pub tentative_bearing_timeout_s: f64,
    /// A confirmed track without an update for this long is coasting (still shown).
    pub coast_after_s: f64,
    /// A confirmed track without an update for this long is deleted, whatever its usual
    /// gaps. It is a ceiling for the gap rule below, not the rule: a radar that plots a
    /// low drone at long range in one scan of two or three updates its track every
    /// 10-15 s, and 25 s (the first value) deleted such tracks in the ordinary runs of
    /// misses between plots. Their drones then flew on untracked: a new track cannot
    /// start from plots that far apart (`tentative_timeout_s`). 40 s against 25 s: ID
    /// switches 139 → 80 on west-radar, 66 → 29 on south-wave, 1,093 → 811 on the mass
    /// wave; mean missed drones 8.3 → 6.5, 5.0 → 4.4, 17.4 → 14.0; timely recall
    /// 95.6 → 96.9 and 97.6 → 98.3 % on west-radar and west-wave, mass-wave precision
    /// unchanged. 60 s bought more on the west runs (98.3, 99.3 %) but kept tracks far
    /// from any drone alive to warn: 7 more false intervals with no drone within 5 km on
    /// the mass wave, precision 88.1 → 85.8 % (`bench/RESULTS.md`, eighth session). A
    /// track updated every second is still deleted after `min_delete_after_s`. While a
    /// radar whose rhythm at the track's range has been learned is plotting the track,
    /// `revisit_delete_gaps` decides with it, up to `revisit_max_delete_s`.
    pub delete_after_s: f64,
    /// ... or sooner, after this many of its own usual gaps between updates (a moving
    /// average), but never before `min_delete_after_s`: a drone heard and plotted every
    /// second that falls silent for twelve has ended (impact, landing) far more often
    /// than it has hidden, and coasting it shows a phantom. (The warning engine keeps
    /// the areas a vanished track had warned on for its own `coast_s`, so warnings do
    /// not depend on the track living on.) 8 gaps / 12 s against 5 / 10 s: 67 / 78 ID
    /// switches on south-wave seeds 11 / 12 against 83 / 92, for a few more false-track
    /// seconds (`bench/RESULTS.md`, "Track deletion: 8 gaps against 5").
    pub delete_after_gaps: f64,
    pub min_delete_after_s: f64,
    /// ... and a cooperative one (identified by ADS-B) this long after its last ADS-B
    /// message, whatever else updates it: it squitters its position every second, so a
    /// silence this long means it landed or left coverage, and near an airport the
    /// radar plots that would keep it alive are another aircraft's. It is never a
    /// threat, so dropping it early costs no warning, while coasting it shows a
    /// phantom.
    pub cooperative_delete_after_s: f64,
    /// A track located by plots whose moving average gap between fixes had grown to
    /// this many times its best, while it flew away from the radar that last plotted
    /// it, is out of coverage (`TrackSnapshot::in_coverage`): the radar was losing it
    /// with range. 0 turns it off.
    pub fading_fix_gap_factor: f64,
    /// A track only phone reports have located is deleted this long after its last
    /// update, seconds: its reporters speak about once a minute.
    pub reporter_delete_after_s: f64,
    /// A confirmed track whose newest fix is a radar plot is also deleted after this
    /// many of the gaps that radar usually leaves between plots of the tracks it
    /// follows at the track's range ([`crate::revisit`]), and then its own-gaps limit
    /// may reach `revisit_max_delete_s` instead of `delete_after_s`: it dies when either
    /// rhythm says it is gone. For gaps spread exponentially, a silence of k mean gaps
    /// befalls an object still there with probability e^-k: 7 is one in a thousand.
    /// Close to a radar that plots its tracks every scan, a track fed by clutter dies in
    /// 12-20 s whatever its own sparse rhythm; far out, where both rhythms are slow, a
    /// drone's track outlives its runs of misses. Alone (the radar's rule in place of
    /// the track's own, not the smaller of the two) it kept the tracks of drones that
    /// dived on their aim points: south-wave false tracks 0.46 → 0.76
    /// (`bench/RESULTS.md`, ninth session). 0 turns it off.
    pub revisit_delete_gaps: f64,
    /// A tentative track started from plots, whose newest fix is a radar plot, may go
    /// this many of that radar's usual gaps at its range without one (at least
    /// `tentative_timeout_s`, at most `delete_after_s`): far out, where a small drone
    /// is plotted one scan in three, plots 10-15 s apart must still be able to start a
    /// track, while close in a clutter plot's track still dies in 12 s. A young track
    /// survives each gap with probability 1 − e^-k (0.95 at 3). With the deletion rule
    /// above, against neither (ninth session, same run): mean missed drones 4.38 → 3.44
    /// on south-wave, 6.45 → 4.59 on west-radar, 14.0 → 11.7 on the mass wave; GOSPA
    /// lower on every run with radars (mass wave 3,606 → 3,505 m). 4 gaps cost DMZ
    /// warning precision (67.9 → 61.3 %). 0 turns it off.
    pub revisit_tentative_gaps: f64,
    /// Ceiling of the deletion limit while that rule applies, seconds.
    pub revisit_max_delete_s: f64,
    /// A radar that has sent nothing at all, neither plots nor clutter, for more than
    /// `radar_down_gaps` of its usual intervals between reports, more than
    /// `radar_down_min_s` seconds and more than two of a track's usual gaps between
    /// plots is down for that track ([`crate::outage`]): the track is out of coverage
    /// and lives `delete_after_s`. 0 gaps turns it off.
    pub radar_down_gaps: f64,
    pub radar_down_min_s: f64,
    /// Range bins of the learned gaps, metres.
    pub revisit_bin_m: f64,
    /// Gaps a bin must have seen before it is used.
    pub revisit_min_samples: f64,
    /// A track whose horizontal 1-sigma exceeds this is deleted.
    pub max_sd_h_m: f64,
    /// The track frame is re-anchored when the track is this far from its origin.
    pub reanchor_m: f64,
    /// Two tracks closer than this, with consistent velocities, are merged.
    pub merge_m: f64,
    /// Velocity difference below which two close tracks are the same object, m/s.
    pub merge_mps: f64,
}

impl Default for LifeConfig {
    fn default() -> Self {
        LifeConfig {
            tentative_timeout_s: 12.0,
            tentative_bearing_timeout_s: 4.0,
            coast_after_s: 6.0,
            delete_after_s: 40.0,
            delete_after_gaps: 8.0,
            min_delete_after_s: 12.0,
            cooperative_delete_after_s: 8.0,
            fading_fix_gap_factor: 2.0,
            reporter_delete_after_s: 150.0,
            revisit_delete_gaps: 7.0,
            revisit_tentative_gaps: 3.0,
            revisit_max_delete_s: 90.0,
            radar_down_gaps: 3.0,
            radar_down_min_s: 10.0,
            revisit_bin_m: 5000.0,
            revisit_min_samples: 30.0,
            max_sd_h_m: 2500.0,
            reanchor_m: 5000.0,
            merge_m: 400.0,
            merge_mps: 20.0,
        }
    }
}

/// Noise assumptions the reports do not carry.
///
/// # Units
/// Metres and m/s.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SensorNoiseConfig {
    /// ADS-B position one sigma, horizontal and vertical.
    pub adsb_sd_h_m: f64,
    pub adsb_sd_v_m: f64,
    /// ADS-B velocity one sigma per axis.
    pub adsb_sd_vel: f64,
    /// GPS error of a mobile reporter's own position (added to the bearing's spread
    /// as cross-range error at the target's range).
    pub mobile_gps_sd_m: f64,
    /// Floor on any bearing's sigma, degrees (a reporter claiming 0.01 deg is wrong).
    pub min_bearing_sd_deg: f64,
}

impl Default for SensorNoiseConfig {
    fn default() -> Self {
        SensorNoiseConfig {
            adsb_sd_h_m: 30.0,
            adsb_sd_v_m: 50.0,
            adsb_sd_vel: 3.0,
            mobile_gps_sd_m: 15.0,
            min_bearing_sd_deg: 0.5,
        }
    }
}

/// Classification from kinematics, hints, acoustic evidence and identity.
///
/// # Units
/// `listen_range_m` metres; `listen_alive_s`, `quiet_tau_s` seconds;
/// the rest are probabilities or likelihood factors (0 to 1).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClassifyConfig {
    /// Probability that a reporter's class hint is right.
    pub hint_reliability: f64,
    /// Weight of the kinematic evidence at full velocity knowledge (0 to 1).
    pub kinematic_weight: f64,
    /// Prior probabilities of drone, aircraft, bird and unknown for a track nothing is
    /// known about yet (normalised before use): the base rate of what makes tracks.
    /// Most low, slow things a radar tracks are birds and most fast ones aircraft;
    /// a drone is the rarer hypothesis until speed, sound or reporters say so. (A
    /// drone-heavy prior made every young bird track a half-threat: on the DMZ run,
    /// 0.35 for drone gave 42 % warning precision against 54 % with these.)
    pub prior: [f64; 4],
    /// Tracks classified as birds with at least this confidence are kept (so their
    /// plots do not start new tracks) but not shown; above 1 shows every bird.
    pub hide_bird_confidence: f64,
    /// A low object this close (slant) to a working acoustic node is taken to be
    /// audible if it has an engine; 0 turns acoustic evidence off. Acoustic nodes hear a
    /// small drone over a few km; half of that is the conservative side.
    pub listen_range_m: f64,
    /// A fixed bearing sensor counts as working for this long after its newest report
    /// (the format has no heartbeat; a dead node's silence is no evidence).
    pub listen_alive_s: f64,
    /// Seconds of silence within `listen_range_m` of working nodes that divide the
    /// likelihood of the loud classes (drone, aircraft) by e. Each fixed acoustic
    /// bearing associated with the track takes back this much silence: a bearing is a
    /// ray, and a drone's ray often passes a bird on its way, so being "heard" once is
    /// weak evidence, while a drone near a node is heard every few seconds.
    pub quiet_tau_s: f64,
    /// Least likelihood factor silence can give the loud classes: a node that went down
    /// after its last report must not turn a drone into a bird on its own.
    pub quiet_floor: f64,
    /// Seconds of ADS-B silence where a working receiver would hear a cooperative
    /// aircraft ([`crate::squitter`]) that divide the aircraft likelihood by e. Aircraft
    /// broadcast about once a second, so ten seconds unheard is already telling. Without
    /// it, drones flown at 70-80 m/s (a tailwind) were taken for light aircraft and not
    /// warned: south wave at that speed, timely recall 54.9 % against 93.7 % with it; at
    /// 60-70 m/s 91.7 against 99.2 %. It raises every drone's `p_threat` (the warning
    /// thresholds were scaled to match) and costs the mass wave 3.8 points of precision
    /// (`bench/RESULTS.md`, twelfth session). 0 turns ADS-B evidence off
    /// (`bench/configs/no-adsb-silence.toml`).
    pub adsb_quiet_tau_s: f64,
    /// Least factor ADS-B silence can give the aircraft likelihood: the share of
    /// aircraft that fly without ADS-B (military, state, transponder off).
    pub noncooperative_share: f64,
    /// An ADS-B receiver counts as working for this long after its newest message.
    pub adsb_alive_s: f64,
    /// Transit evidence against "bird". Birds that stay about a roost or feeding ground
    /// wander, while a drone flies its legs straight: over `transit_window_s`, the
    /// straightness of a track's path (first-to-last distance over the length through
    /// samples `transit_sample_s` apart) was at least 0.95 for 13-17 % of bird
    /// track-time and 76-91 % of drone track-time on the south, DMZ and west runs (the
    /// tracker's own estimates, `bench/warn/straightness.py`; a likelihood ratio of 5
    /// or more, DMZ's meandering reconnaissance drones the lowest). Such a path divides
    /// the bird likelihood by up to 1/`transit_bird_factor`: by nothing at straightness
    /// `transit_straight_from`, fully at `transit_straight_full`, geometrically
    /// between. Capped at 4, below the ratio measured, because migrating birds do fly
    /// straight for hours (the simulator has none; their slow speed still marks them).
    /// Nor does a path count whose net speed (first-to-last distance over the time) is
    /// below `transit_min_speed_m_s`: birds on passage hold a line too, and it is a line
    /// held faster than nearly all birds cruise (most species 8-20 m/s) that is
    /// telling. Without the gate, straight-flying birds of the mass wave passed for
    /// drones (precision 85.8 → 84.3 %, four intervals more); at 20 m/s, one. The
    /// evidence matters where speed and height do not decide: 20-30 m/s at a few
    /// hundred metres, Lancet-class loitering munitions (south lancet probe, seeds
    /// 11-13: timely recall 88.4 / 95.8 / 94.3 → 99.1 / 99.2 / 98.7 %) and fast birds
    /// alike (`bench/RESULTS.md`, fifteenth session). A window of 0 turns it off.
    pub transit_window_s: f64,
    pub transit_sample_s: f64,
    pub transit_min_speed_m_s: f64,
    pub transit_straight_from: f64,
    pub transit_straight_full: f64,
    pub transit_bird_factor: f64,
    /// Lanes of cooperative traffic ([`crate::lanes`]) as evidence for "aircraft": a
    /// track without ADS-B flying where and on the heading cooperative aircraft below
    /// `lane_max_alt_m` have flown multiplies the aircraft likelihood by up to
    /// `lane_aircraft_factor`, in full once they have flown there for `lane_full_s`
    /// seconds (in its cell of `lane_cell_deg` and the eight around it, within 45° of
    /// its heading), in proportion below. Only for tracks at least
    /// `lane_min_speed_m_s` fast over the ground, two sigmas above the drone speed
    /// model (48 ± 14 m/s: a 51 m/s drone with a 25 m/s tailwind), where a drone is
    /// already unlikely: a drone flying along a lane onto an airfield flies it too. At
    /// 55 m/s a south-fast drone (60-70 m/s) near Daegu airport was taken for an
    /// aircraft and an incursion went unwarned (`bench/RESULTS.md`, sixteenth
    /// session). Capped well below what ADS-B silence takes away
    /// (1/`noncooperative_share`). A factor of 1 turns it off.
    pub lane_cell_deg: f64,
    pub lane_max_alt_m: f64,
    pub lane_full_s: f64,
    pub lane_min_speed_m_s: f64,
    pub lane_aircraft_factor: f64,
}

impl Default for ClassifyConfig {
    fn default() -> Self {
        ClassifyConfig {
            hint_reliability: 0.5,
            kinematic_weight: 1.0,
            prior: [0.1, 0.3, 0.4, 0.2],
            hide_bird_confidence: 0.4,
            listen_range_m: 1500.0,
            listen_alive_s: 600.0,
            quiet_tau_s: 10.0,
            quiet_floor: 0.05,
            adsb_quiet_tau_s: 10.0,
            noncooperative_share: 0.1,
            adsb_alive_s: 300.0,
            transit_window_s: 300.0,
            transit_sample_s: 30.0,
            transit_min_speed_m_s: 20.0,
            transit_straight_from: 0.85,
            transit_straight_full: 0.97,
            transit_bird_factor: 0.25,
            lane_cell_deg: 0.02,
            lane_max_alt_m: 3000.0,
            lane_full_s: 120.0,
            lane_min_speed_m_s: 76.0,
            lane_aircraft_factor: 4.0,
        }
    }
}

/// Tracks from phone reports alone ([`crate::reporters`]): three reports of three
/// different people that one straight flight at drone speed explains start a confirmed
/// track.
///
/// # Units
/// Metres, seconds, m/s.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReporterConfig {
    /// Switch.
    pub enabled: bool,
    /// How far a person sees or hears a small drone: a report places it at half of
    /// this along the bearing, give or take this over √12 (uniform over [0, reach]).
    pub reach_m: f64,
    /// Least error across the bearing (phone GPS, compass), one sigma.
    pub min_cross_sd_m: f64,
    /// Reports further apart in time than this do not pair.
    pub window_s: f64,
    /// The three reports must span at least this long (a velocity needs time).
    pub min_span_s: f64,
    /// Two of the three reporters must stand at least this far apart. Bearings taken
    /// from one spot do not cross: their sectors lie on one ring, which a straight
    /// line at drone speed explains by chance (west-phones: fake reports all from one
    /// spot made three false tracks 60-100 km from any drone).
    pub min_baseline_m: f64,
    /// Speeds a fitted flight must have: a drone's, not a hovering or jet object's.
    pub min_speed_m_s: f64,
    pub max_speed_m_s: f64,
    /// Probability mass inside the fit's chi-square gate.
    pub gate_prob: f64,
    /// Most reports waiting (the oldest go first).
    pub max_pool: usize,
    /// No track starts within this distance of a track already there (its reports
    /// are about that track's object, which missed them by lateness or noise).
    pub duplicate_m: f64,
    /// Where a report has at least this many chance partners
    /// ([`crate::reporters::Flight::chance_partners`]), a three-report flight starts
    /// tentative and is shown only once one more report or sensor confirms it: chance
    /// triples grow with the square of the fake reports' density. 0 turns this off.
    pub dense_partners: f64,
    /// Unexplained reports are counted within this distance of a new one...
    pub density_radius_m: f64,
    /// ...over at most this long...
    pub density_memory_s: f64,
    /// ...and count only when at least this many are near (a handful of real reports
    /// that never made a flight is no density).
    pub density_min_reports: usize,
}

impl Default for ReporterConfig {
    fn default() -> Self {
        ReporterConfig {
            enabled: true,
            reach_m: 3000.0,
            min_cross_sd_m: 100.0,
            window_s: 300.0,
            min_span_s: 60.0,
            min_baseline_m: 1000.0,
            min_speed_m_s: 25.0,
            max_speed_m_s: 70.0,
            gate_prob: 0.9,
            max_pool: 4096,
            duplicate_m: 3000.0,
            dense_partners: 2.0,
            density_radius_m: 20_000.0,
            density_memory_s: 3600.0,
            density_min_reports: 5,
        }
    }
}
