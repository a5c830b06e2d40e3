//! The engine: composes prepare (validate), hypothesise (gate), associate (GNN),
//! update, initiate and delete, over a push interface.

use std::collections::VecDeque;

use nalgebra::{Matrix3, SVector, Vector3};
use skywatch_assign::assign;
use skywatch_geo::{LocalFrame, ecef_to_enu_rotation, ecef_to_geodetic};
use skywatch_model::{Class, Geodetic, Report, TrackEstimate, TrackSnapshot};

use crate::clutter::ClutterMap;
use crate::config::{AssociationMethod, EngineConfig};
use crate::error::{Rejection, Stats};
use crate::hearing::{Heard, HeardPool, Start, truncate_range};
use crate::imm::{Imm, ImmState, Pda};
use crate::index::{FxMap, Grid};
use crate::jpda::{Jpda, Limits, Solved};
use crate::lanes::Lanes;
use crate::listen::Listeners;
use crate::measure::{Comp, Linear, MeasurementModel, POS_IDX, POS_VEL_IDX, Polar, SensorGeom};
use crate::motion::{Cov, E, N, State, U, VE, VN, VU, W};
use crate::outage::RadarOutages;
use crate::prepare::{Kind, Prepared, prepare};
use crate::reporters::{Flight, ReportPool};
use crate::revisit::RevisitMap;
use crate::squitter::Receivers;
use crate::track::{Status, Track, class_index};
use crate::triangulate::{BearingPool, Fix, Pooled};

/// Kinds of support a track has had (bit set).
const SUPPORT_PLOT: u8 = 1;
const SUPPORT_BEARING: u8 = 2;
/// Started from one node's bearings and its declared reach.
const SUPPORT_REACH: u8 = 4;

/// Extra association cost of a tentative track, so that a confirmed track wins a
/// measurement both could explain.
const TENTATIVE_PENALTY: f64 = 3.0;

/// Association bonus of a cooperative track (one identified by its ADS-B), in the same
/// -2 ln likelihood units: the gap between the costs of leaving each track without the
/// measurement. An aircraft is big and loud, so a radar or a microphone within range
/// misses it seldom (P_D about 0.95 assumed), while a small drone or a bird is missed
/// often (0.5): -2 ln(1 - 0.95) + 2 ln(1 - 0.5) = 2 ln 10 ≈ 4.6. Without it, where a
/// plot or a ray is wide enough to fit both an aircraft's track and a drone or bird
/// track a kilometre off, the better statistical fit alone decided, and near an airport
/// a bird's track that had lost its bird lived on the rays and plots of landing
/// aircraft, shown as a drone (south-wave seed 12: three false warnings).
const COOPERATIVE_BONUS: f64 = 4.605_170_185_988_091;

/// Extra association cost of a track for a measurement on top of its statistical fit.
fn association_penalty(tr: &Track) -> f64 {
    if tr.status == Status::Tentative {
        TENTATIVE_PENALTY
    } else if tr.icao.is_some() {
        -COOPERATIVE_BONUS
    } else {
        0.0
    }
}

/// Builds the measurement model of a prepared report in a track's frame and evaluates
/// `$body` with it. A macro rather than a trait object: each arm is monomorphic (fixed
/// measurement dimension, inlined models) on the hot path.
macro_rules! with_model {
    ($m:expr, $tr:expr, $cfg:expr, |$model:ident| $body:expr) => {{
        let m: &Prepared = $m;
        let frame: &LocalFrame = &$tr.frame;
        match &m.kind {
            Kind::Radar {
                origin,
                range,
                az,
                el,
                sd_range,
                sd_az,
                sd_el,
            } => {
                let geom = SensorGeom::new(frame, &origin.ecef, &origin.rot);
                match el {
                    Some(el) => {
                        let $model = Polar::<3> {
                            geom,
                            comps: [Comp::Range, Comp::Az, Comp::El],
                            z: Vector3::new(*range, *az, *el),
                            sd: Vector3::new(*sd_range, *sd_az, *sd_el),
                        };
                        $body
                    }
                    None => {
                        let $model = Polar::<2> {
                            geom,
                            comps: [Comp::Range, Comp::Az],
                            z: SVector::<f64, 2>::new(*range, *az),
                            sd: SVector::<f64, 2>::new(*sd_range, *sd_az),
                        };
                        $body
                    }
                }
            }
            Kind::Bearing {
                origin,
                az,
                el,
                sd_az,
                sd_el,
                mobile,
                ..
            } => {
                let geom = SensorGeom::new(frame, &origin.ecef, &origin.rot);
                let (mut sa, mut se) = (*sd_az, *sd_el);
                if *mobile {
                    // The reporter's own GPS error is cross-range error at the target.
                    let x = $tr.state.x[0];
                    let r = (Vector3::new(x[E], x[N], x[U]) - geom.pos)
                        .norm()
                        .max(200.0);
                    let g = $cfg.sensors.mobile_gps_sd_m / r;
                    sa = (sa * sa + g * g).sqrt();
                    se = (se * se + g * g).sqrt();
                }
                match el {
                    Some(el) => {
                        let $model = Polar::<2> {
                            geom,
                            comps: [Comp::Az, Comp::El],
                            z: SVector::<f64, 2>::new(*az, *el),
                            sd: SVector::<f64, 2>::new(sa, se),
                        };
                        $body
                    }
                    None => {
                        let $model = Polar::<1> {
                            geom,
                            comps: [Comp::Az],
                            z: SVector::<f64, 1>::new(*az),
                            sd: SVector::<f64, 1>::new(sa),
                        };
                        $body
                    }
                }
            }
            Kind::Position { ecef, sd_h, sd_v } => {
                let $model = Linear::<3> {
                    idx: POS_IDX,
                    z: frame.ecef_to_enu(ecef),
                    sd: Vector3::new(*sd_h, *sd_h, *sd_v),
                };
                $body
            }
            Kind::Adsb { pos, ecef, vel, .. } => {
                let p = frame.ecef_to_enu(ecef);
                let (h, v) = ($cfg.sensors.adsb_sd_h_m, $cfg.sensors.adsb_sd_v_m);
                match vel {
                    Some(vel) => {
                        let vt = frame.rotation()
                            * ecef_to_enu_rotation(pos.lat_deg, pos.lon_deg).transpose()
                            * vel;
                        let sv = $cfg.sensors.adsb_sd_vel;
                        let $model = Linear::<6> {
                            idx: POS_VEL_IDX,
                            z: SVector::<f64, 6>::from_column_slice(&[
                                p.x, p.y, p.z, vt.x, vt.y, vt.z,
                            ]),
                            sd: SVector::<f64, 6>::from_column_slice(&[h, h, v, sv, sv, sv]),
                        };
                        $body
                    }
                    None => {
                        let $model = Linear::<3> {
                            idx: POS_IDX,
                            z: p,
                            sd: Vector3::new(h, h, v),
                        };
                        $body
                    }
                }
            }
        }
    }};
}

/// True if a track located by bearings alone lately (no plot or fix for
/// `constrain_after_s`) and heard by nodes that declare a reach is out of the reliable
/// range (`reliable_frac` of the reach) of every working node at `t`: its silence says
/// nothing about its end.
fn in_hole(tr: &Track, t: f64, listeners: &Listeners, cfg: &EngineConfig) -> bool {
    let reliable = tr.reach_m * cfg.hearing.reliable_frac.clamp(0.0, 1.0);
    bearings_only(tr, t, cfg) && !listeners.covers_within(&tr.ecef_at(t), t, reliable)
}

/// How far ahead, along its velocity, a track out of every node's reach must stay out of
/// reach to count as out of coverage, seconds: not only a hole in a grid (crossed in
/// well under a minute) but a sparse grid's wide gaps (a 6 km grid of 2.5 km reach
/// leaves half the ground unheard) must be left behind; five minutes ahead, 15 km at
/// drone speed, a track still inside a network passes near some node. A drone that dives
/// into such a gap has ended; one past the network's edge has nobody ahead of it.
const COVERAGE_LOOK_AHEAD_S: [f64; 6] = [30.0, 60.0, 120.0, 180.0, 240.0, 300.0];

/// Slowest ground speed at which a cooperative aircraft counts as flying for the lane
/// map ([`crate::lanes`]), m/s: below it, on the ground, its heading is noise.
const LANE_MIN_FLYING_M_S: f64 = 30.0;

/// A track plotted this recently by a radar that was not losing it was not left by
/// it, seconds (two minutes: many scans).
const RADAR_MEMORY_S: f64 = 120.0;

/// Least rate at which a track must have been moving away from the radar that last
/// plotted it for its thinning plots to mean "out of range" rather than "diving",
/// m/s.
const RECEDING_M_S: f64 = 5.0;

/// True if neither kind of sensor that located the track expects to hear of it again
/// where it is going: what [`TrackSnapshot::in_coverage`] reports (as its negation).
///
/// - Nodes: no node heard within `coverage_memory_s` is within its reach of the track,
///   now or along its path for the next five minutes ([`COVERAGE_LOOK_AHEAD_S`]): not in
///   a hole or a silent lane of a grid, but past the network's edge. Nodes heard within
///   the hour, not only the working ones: nodes report only when they hear something,
///   and idle ones made drones that dived on their aim points look out of coverage as
///   their coasting estimates flew on.
/// - Radars: no fix for [`RADAR_MEMORY_S`], or fixes that were thinning out
///   ([`Track::fixes_fading`]) while it flew away from the radar that last plotted it:
///   the radar was losing it with range, not seeing it end. A drone diving on its aim
///   point also thins a radar's plots, near the radar as often as not (on an east-coast
///   wave onto the radar's own city, fading alone made impacts look like flights on),
///   and a track a radar plotted a minute ago was not left by it.
///
/// - A radar that has gone down ([`crate::outage`], `radar_down`) while nothing else
///   updates the track: nothing watches it now, whatever nodes lie ahead.
///
/// A cooperative track is never out of coverage (its ADS-B silence is news); one only
/// phone reports have located always is (no fixed sensor watches it).
fn out_of_coverage(
    tr: &Track,
    t: f64,
    listeners: &Listeners,
    radar_down: bool,
    cfg: &EngineConfig,
) -> bool {
    if tr.icao.is_some() {
        return false;
    }
    if tr.reporters_only {
        return true;
    }
    let plotted = tr.last_fix_t.is_finite();
    if !(plotted || tr.reach_m > 0.0) {
        return false;
    }
    // A radar that went down leaves its tracks unwatched, whatever nodes lie ahead:
    // the drone flies on unseen now, and those nodes may be minutes away. Unless
    // another sensor is still updating the track (nodes hearing it).
    if radar_down && t - tr.last_update_t > cfg.life.radar_down_min_s {
        return true;
    }
    let radar_lost = t - tr.last_fix_t > RADAR_MEMORY_S
        || (tr.fixes_fading(cfg.life.fading_fix_gap_factor)
            && tr.receding_from_last_radar(t, RECEDING_M_S));
    let unheard_ahead = || {
        tr.reach_m <= 0.0
            || [0.0]
                .iter()
                .chain(&COVERAGE_LOOK_AHEAD_S)
                .all(|dt| !listeners.known_within(&tr.ecef_at(t + dt), t, tr.reach_m))
    };
    radar_lost && unheard_ahead()
}

/// True if the track's newest fix is a plot of a radar that has since gone down
/// ([`RadarOutages::down`]).
fn radar_down(outages: &RadarOutages, tr: &Track, t: f64, cfg: &EngineConfig) -> bool {
    tr.icao.is_none()
        && tr.last_radar_t.is_finite()
        && tr.last_radar_t >= tr.last_fix_t
        && outages.down(
            tr.last_radar_sensor,
            t,
            // Two of the track's own gaps between plots at least: a radar whose reports
            // come in one burst a scan (clutter in one sector) is silent for most of
            // each scan, and that is its rhythm, not an outage.
            cfg.life.radar_down_min_s.max(2.0 * tr.fix_gap_s),
            cfg.life.radar_down_gaps,
            0.5 * tr.fix_gap_s,
        )
}

/// One track as the engine holds it, shown or not ([`Engine::all_tracks_at`]).
#[derive(Debug, Clone, PartialEq)]
pub struct TrackDebug {
    /// The estimate at the time asked, as a shown track would have it.
    pub estimate: TrackEstimate,
    pub status: Status,
    /// Whether [`Engine::snapshots_at`] shows it: confirmed or coasting, not expired,
    /// at a finite position, and not a bird confident enough to hide.
    pub shown: bool,
    /// Time of the first measurement it was started from, seconds.
    pub first_t: f64,
    /// Time of the last measurement that updated it, seconds.
    pub last_update_t: f64,
    /// Measurements it has taken (those it was started from included).
    pub hits: u32,
    /// [`TrackSnapshot::p_threat`].
    pub p_threat: f64,
    /// One sigma of the horizontal velocity, per axis (the mean of the east and north
    /// variances of [`TrackSnapshot::cov_h`]), m/s: what the classifier weighs the
    /// speed by.
    pub sd_v_m_s: f64,
    /// Whether only people's phone reports have fed it ([`crate::reporters`]).
    pub reporters_only: bool,
    /// [`TrackSnapshot::in_coverage`]: whether the tracker expects to hear of the
    /// object where it now is.
    pub in_coverage: bool,
}

/// True if an estimate may be shown: at a finite position, and not a bird confident
/// enough to hide (`hide_bird_confidence`).
fn shown_estimate(e: &TrackEstimate, cfg: &EngineConfig) -> bool {
    e.pos.lat_deg.is_finite() && e.pos.lon_deg.is_finite() && !hidden_bird(e, cfg)
}

/// True if an estimate is a bird confident enough to hide (`hide_bird_confidence`).
fn hidden_bird(e: &TrackEstimate, cfg: &EngineConfig) -> bool {
    e.class == Class::Bird && e.class_confidence >= cfg.classify.hide_bird_confidence
}

/// What the engine shows at one time, and what it holds but hides
/// ([`Engine::frame_at`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Frame {
    /// The shown tracks, by id.
    pub shown: Vec<TrackSnapshot>,
    /// Ids of the tracks held and hidden as birds, ascending.
    pub hidden: Vec<u64>,
}

/// True if `tr` has gone too long without news by `t` ([`Track::expired`]). While the
/// radar that last plotted it is down, its silence is no news: the plain
/// `delete_after_s` applies, not that radar's revisit limit or the track's own gaps.
fn expired(
    tr: &Track,
    t: f64,
    revisit: &RevisitMap,
    outages: &RadarOutages,
    cfg: &EngineConfig,
) -> bool {
    if !tr.reporters_only && radar_down(outages, tr, t, cfg) {
        return t - tr.last_update_t > cfg.life.delete_after_s;
    }
    tr.expired(t, &cfg.life, radar_silence_limit(revisit, tr, t, cfg))
}

/// The gap the radar that last plotted `tr` usually leaves between plots at the range
/// the track is at by `t` ([`RevisitMap::typical_gap`]), once learned.
fn radar_usual_gap(revisit: &RevisitMap, tr: &Track, t: f64, cfg: &EngineConfig) -> Option<f64> {
    let origin = tr.last_radar_ecef?;
    let range = (tr.ecef_at(t) - origin).norm();
    revisit.typical_gap(
        tr.last_radar_sensor,
        range,
        cfg.life.revisit_bin_m,
        cfg.life.revisit_min_samples,
    )
}

/// How long the radar that last plotted `tr` may miss it before that means it is gone:
/// `revisit_delete_gaps` of its usual gaps at the track's range, once learned.
fn radar_silence_limit(
    revisit: &RevisitMap,
    tr: &Track,
    t: f64,
    cfg: &EngineConfig,
) -> Option<f64> {
    radar_usual_gap(revisit, tr, t, cfg).map(|g| cfg.life.revisit_delete_gaps * g)
}

/// How long a tentative track started from plots may go without one: `tentative_timeout_s`,
/// or, while its newest fix is a radar plot, `revisit_tentative_gaps` of the gaps that
/// radar usually leaves at its range if that is longer (far out, where a drone is
/// plotted one scan in three, plots 10-15 s apart must still be able to start a track).
fn tentative_limit(revisit: &RevisitMap, tr: &Track, t: f64, cfg: &EngineConfig) -> f64 {
    let life = &cfg.life;
    let base = life.tentative_timeout_s;
    if life.revisit_tentative_gaps <= 0.0 || tr.last_radar_t < tr.last_fix_t {
        return base;
    }
    radar_usual_gap(revisit, tr, t, cfg).map_or(base, |g| {
        (life.revisit_tentative_gaps * g)
            .max(base)
            .min(life.delete_after_s)
    })
}

/// Located by bearings of nodes that declare a reach alone lately (no plot or fix for
/// `constrain_after_s`), and not cooperative.
fn bearings_only(tr: &Track, t: f64, cfg: &EngineConfig) -> bool {
    tr.reach_m > 0.0 && tr.icao.is_none() && t - tr.last_fix_t > cfg.hearing.constrain_after_s
}

/// Wilson-Hilferty approximation of the chi-square quantile with `k` degrees of freedom.
fn chi2_quantile(p: f64, k: usize) -> f64 {
    // Acklam-style rational approximation of the normal quantile, central region is
    // enough for gate probabilities between 0.5 and 0.99999.
    let p = p.clamp(0.5, 0.999_999);
    let q = (-2.0 * (1.0 - p).ln()).sqrt();
    let z = q
        - (2.515517 + 0.802853 * q + 0.010328 * q * q)
            / (1.0 + 1.432788 * q + 0.189269 * q * q + 0.001308 * q * q * q);
    let k = k as f64;
    let a = 2.0 / (9.0 * k);
    k * (1.0 - a + z * a.sqrt()).powi(3)
}

/// `ln(2π)`.
const LN_2PI: f64 = 1.837_877_066_409_345_3;

/// A cluster of a batch: reports (indices, ascending), track slots, and the indices of
/// its gated pairs.
#[derive(Debug, Default)]
struct Cluster {
    rows: Vec<usize>,
    cols: Vec<u32>,
    pairs: Vec<usize>,
}

/// Log of the clutter density at a report, in its own measurement space (see
/// [`crate::JpdaConfig`] for the volume elements).
fn ln_clutter_density(m: &Prepared, cfg: &EngineConfig) -> f64 {
    let jc = &cfg.association.jpda;
    let pos = |v: f64, d: f64| if v.is_finite() && v > 0.0 { v } else { d };
    let rho_a = pos(jc.clutter_per_km2, 1e-3) * 1e-6;
    let rho_v = rho_a / pos(jc.clutter_layer_m, 2000.0);
    let reach = pos(cfg.gating.bearing_range_m, 6000.0);
    let v = match &m.kind {
        Kind::Radar {
            range,
            el: Some(el),
            ..
        } => rho_v * range * range * el.cos().abs().max(1e-3),
        Kind::Radar {
            range, el: None, ..
        } => rho_a * range,
        Kind::Bearing { el: None, .. } => rho_a * reach * reach / 2.0,
        Kind::Bearing { el: Some(_), .. } => rho_v * reach.powi(3) / 3.0,
        Kind::Position { .. } | Kind::Adsb { .. } => rho_v,
    };
    v.max(1e-300).ln()
}

/// Emptied batch buffers kept for reuse (beyond this they are freed).
const MAX_SPARE_BATCHES: usize = 64;

/// A batch of reports from one sensor, associated jointly.
#[derive(Debug, Default)]
struct Batch {
    first_t: f64,
    items: Vec<Prepared>,
}

/// The tracking engine. See the crate documentation.
#[derive(Debug)]
pub struct Engine {
    cfg: EngineConfig,
    imm: Imm,
    tracks: Vec<Option<Track>>,
    free: Vec<u32>,
    next_id: u64,
    grid: Grid,
    grid_t: f64,
    by_icao: FxMap<u32, u32>,
    batches: FxMap<u64, Batch>,
    /// (first report time, sensor) of batches in the order they were started, so that
    /// each closes as soon as the stream passes its window (stale entries skipped).
    expiring: VecDeque<(f64, u64)>,
    spare: Vec<Vec<Prepared>>,
    newest_t: f64,
    stats: Stats,
    stamp: u64,
    pool: BearingPool,
    heard: HeardPool,
    /// Phone reports no track took, for tracks from reports alone.
    reporters: ReportPool,
    listeners: Listeners,
    /// Each radar's usual gap between plots of a track, by range.
    revisit: RevisitMap,
    /// Which radars have gone silent altogether ([`crate::outage`]).
    outages: RadarOutages,
    /// ADS-B receivers heard from: where a cooperative aircraft would be heard.
    receivers: Receivers,
    /// Where cooperative aircraft fly low ([`crate::lanes`]).
    lanes: Lanes,
    /// Each radar's false-plot density, by range.
    clutter: ClutterMap,
    gates: [f64; 7],
    confirm_gates: [f64; 7],
    /// Chi-square limit of a reporter flight fit (2 degrees of freedom).
    reporter_gate: f64,
    // Scratch space reused across reports (no allocation on the hot path).
    cands: Vec<u32>,
    /// Gated (report, track slot, GNN cost, d², ln N(y; 0, S)).
    pairs: Vec<(u32, u32, f64, f64, f64)>,
    doomed: Vec<u32>,
    jpda: Jpda,
    /// JPDA scratch: log likelihood ratios and gate log-likelihoods (tracks × reports),
    /// marginals (tracks × (1 + reports)).
    jp_ln_g: Vec<f64>,
    jp_ln_n: Vec<f64>,
    jp_beta: Vec<f64>,
}

impl Engine {
    /// A new engine with no tracks.
    pub fn new(cfg: EngineConfig) -> Self {
        let gp = if cfg.gating.gate_prob.is_finite() {
            cfg.gating.gate_prob
        } else {
            0.999
        };
        Engine {
            imm: Imm::new(cfg.imm),
            tracks: Vec::new(),
            free: Vec::new(),
            next_id: 1,
            grid: Grid::new(cfg.gating.cell_m),
            grid_t: f64::NEG_INFINITY,
            by_icao: FxMap::default(),
            batches: FxMap::default(),
            expiring: VecDeque::new(),
            spare: Vec::new(),
            newest_t: f64::NEG_INFINITY,
            stats: Stats::default(),
            stamp: 0,
            pool: BearingPool::new(cfg.gating.bearing_range_m),
            heard: HeardPool::default(),
            reporters: ReportPool::default(),
            listeners: Listeners::new(cfg.classify.listen_range_m, cfg.classify.listen_alive_s)
                .with_memory(cfg.hearing.coverage_memory_s),
            revisit: RevisitMap::default(),
            outages: RadarOutages::default(),
            receivers: Receivers::new(cfg.classify.adsb_alive_s),
            lanes: Lanes::default(),
            clutter: ClutterMap::default(),
            gates: std::array::from_fn(|k| if k == 0 { 0.0 } else { chi2_quantile(gp, k) }),
            confirm_gates: std::array::from_fn(|k| {
                if k == 0 {
                    0.0
                } else {
                    chi2_quantile(cfg.initiation.confirm_gate_prob.clamp(0.5, gp), k)
                }
            }),
            reporter_gate: chi2_quantile(cfg.reporters.gate_prob, 2),
            cands: Vec::new(),
            pairs: Vec::new(),
            doomed: Vec::new(),
            jpda: Jpda::default(),
            jp_ln_g: Vec::new(),
            jp_ln_n: Vec::new(),
            jp_beta: Vec::new(),
            cfg,
        }
    }

    /// The configuration in use.
    pub fn config(&self) -> &EngineConfig {
        &self.cfg
    }

    /// Counters of accepted and rejected reports and of track life events.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// Number of live tracks, tentative included.
    pub fn len(&self) -> usize {
        self.tracks.len() - self.free.len()
    }

    /// Sensors with reports waiting to be associated as one scan. Bounded by the
    /// sensors heard within about a second, however many the engine ever heard.
    pub fn pending_sensors(&self) -> usize {
        self.batches.len()
    }

    /// True if there are no tracks.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Takes one report, in arrival order. A report is rejected (and counted) if it is
    /// malformed, absurd, too late or a duplicate; otherwise it is used, possibly after
    /// a short wait to be associated jointly with reports of the same sensor scan.
    pub fn ingest(&mut self, report: &Report) -> Result<(), Rejection> {
        let m = match prepare(report, &self.cfg) {
            Ok(m) => m,
            Err(e) => return Err(self.reject(e)),
        };
        if m.t < self.newest_t - self.cfg.gating.max_lateness_s {
            return Err(self.reject(Rejection::TooLate));
        }
        self.stats.accepted += 1;
        if m.t > self.newest_t {
            self.newest_t = m.t;
        }
        if let Kind::Bearing {
            origin,
            mobile: false,
            ..
        } = &m.kind
        {
            self.listeners.heard_from(m.sensor, &origin.ecef, m.t);
        }
        if let Kind::Radar { .. } = m.kind {
            self.outages.note(m.sensor, m.t);
        }
        if matches!(m.kind, Kind::Adsb { .. }) {
            // Identity makes association trivial: no batch needed.
            self.process_adsb(&m);
        } else {
            let window = self.cfg.gating.batch_window_s;
            let sensor = m.sensor;
            let flush = match self.batches.get(&sensor) {
                Some(b) => {
                    !b.items.is_empty()
                        && ((m.t - b.first_t).abs() > window || b.items.len() >= 512)
                }
                None => false,
            };
            if flush {
                self.flush_sensor(sensor);
            }
            let spare = &mut self.spare;
            let b = self.batches.entry(sensor).or_insert_with(|| Batch {
                first_t: m.t,
                items: spare.pop().unwrap_or_default(),
            });
            if b.items.iter().any(|o| o.key == m.key && o.t == m.t) {
                self.stats.accepted -= 1;
                return Err(self.reject(Rejection::Duplicate));
            }
            if b.items.is_empty() {
                b.first_t = m.t;
                self.expiring.push_back((m.t, sensor));
            }
            b.items.push(m);
        }
        self.flush_expired();
        if self.newest_t >= self.grid_t + 1.0 {
            self.maintain(self.newest_t);
        }
        Ok(())
    }

    fn reject(&mut self, e: Rejection) -> Rejection {
        self.stats.rejected[e.index()] += 1;
        e
    }

    /// Confirmed (and coasting) tracks predicted to `t`, ordered by id, without the
    /// tracks confidently classified as birds. Every report ingested so far is used
    /// first.
    pub fn tracks_at(&mut self, t: f64) -> Vec<TrackEstimate> {
        self.snapshots_at(t)
            .into_iter()
            .map(|s| s.estimate)
            .collect()
    }

    /// Uses every report ingested so far, and maintains the tracks (deletion, merging,
    /// the index) once per second of stream time `t`.
    fn catch_up(&mut self, t: f64) {
        self.flush_all();
        if t >= self.grid_t + 1.0 || t < self.grid_t {
            self.maintain(t);
        }
    }

    /// Like [`Engine::tracks_at`], with covariance, manoeuvre and threat figures for the
    /// warning engine.
    pub fn snapshots_at(&mut self, t: f64) -> Vec<TrackSnapshot> {
        self.frame_at(t).shown
    }

    /// The tracks shown at `t` ([`Engine::snapshots_at`]) and those the engine holds and
    /// would show but for being birds it is sure enough of to hide
    /// (`hide_bird_confidence`). A consumer that holds on to tracks that vanish (the
    /// warning engine coasts a lost drone on) must tell the two apart: a hidden track
    /// has not been lost, it has been explained.
    pub fn frame_at(&mut self, t: f64) -> Frame {
        self.catch_up(t);
        let mut frame = Frame::default();
        for tr in self.tracks.iter().flatten() {
            if !tr.is_shown() || expired(tr, t, &self.revisit, &self.outages, &self.cfg) {
                continue;
            }
            let mut s = tr.output(&self.imm, t.max(tr.state.t), &self.cfg.classify);
            if shown_estimate(&s.estimate, &self.cfg) {
                s.in_coverage = self.in_coverage(tr, t);
                s.estimate.t = t;
                frame.shown.push(s);
            } else if hidden_bird(&s.estimate, &self.cfg) {
                frame.hidden.push(tr.id);
            }
        }
        frame.shown.sort_by_key(|s| s.estimate.id);
        frame.hidden.sort_unstable();
        frame
    }

    /// [`TrackSnapshot::in_coverage`] of `tr` at `t`: whether the engine expects to hear
    /// of its object where it now is ([`out_of_coverage`], with its radar's outage).
    fn in_coverage(&self, tr: &Track, t: f64) -> bool {
        let down = radar_down(&self.outages, tr, t, &self.cfg);
        !out_of_coverage(tr, t, &self.listeners, down, &self.cfg)
    }

    /// Every track the engine holds at `t`, tentative ones and hidden birds too, with
    /// whether [`Engine::snapshots_at`] shows it. For diagnosis (`skywatch replay
    /// --all-tracks`): it tells a drone that no track ever started on from one whose
    /// track stayed tentative or was kept hidden as a bird. Every report ingested so
    /// far is used first; calling it after `snapshots_at` at the same `t` changes
    /// nothing.
    pub fn all_tracks_at(&mut self, t: f64) -> Vec<TrackDebug> {
        self.catch_up(t);
        let mut out: Vec<TrackDebug> = self
            .tracks
            .iter()
            .flatten()
            .map(|tr| {
                let s = tr.output(&self.imm, t.max(tr.state.t), &self.cfg.classify);
                let mut estimate = s.estimate;
                estimate.t = t;
                TrackDebug {
                    reporters_only: tr.reporters_only,
                    in_coverage: self.in_coverage(tr, t),
                    shown: tr.is_shown()
                        && !expired(tr, t, &self.revisit, &self.outages, &self.cfg)
                        && shown_estimate(&estimate, &self.cfg),
                    status: tr.status,
                    first_t: tr.created_t,
                    last_update_t: tr.last_update_t,
                    hits: tr.hits,
                    p_threat: s.p_threat,
                    sd_v_m_s: (0.5 * (s.cov_h[2][2] + s.cov_h[3][3])).max(0.0).sqrt(),
                    estimate,
                }
            })
            .collect();
        out.sort_by_key(|d| d.estimate.id);
        out
    }

    fn flush_sensor(&mut self, sensor: u64) {
        let Some(b) = self.batches.get_mut(&sensor) else {
            return;
        };
        let mut items = std::mem::take(&mut b.items);
        self.process_batch(&mut items);
        items.clear();
        if let Some(b) = self.batches.get_mut(&sensor) {
            b.items = items;
        }
    }

    /// Processes every waiting batch whose first report is older than `before`, in
    /// time order.
    fn flush_older(&mut self, before: f64) {
        let mut keys: Vec<(f64, u64)> = self
            .batches
            .iter()
            .filter(|(_, b)| !b.items.is_empty() && b.first_t < before)
            .map(|(k, b)| (b.first_t, *k))
            .collect();
        keys.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (_, k) in keys {
            self.flush_sensor(k);
        }
    }

    /// Processes the batches whose window the stream has passed, oldest started first.
    ///
    /// Why here and not once a second: a second's worth of batches at mass-wave load
    /// takes milliseconds to associate; closing each batch as soon as it can close
    /// spreads that work over the reports, so no report waits behind a whole second.
    fn flush_expired(&mut self) {
        let cutoff = self.newest_t - self.cfg.gating.batch_window_s;
        while let Some(&(first_t, sensor)) = self.expiring.front() {
            if first_t >= cutoff {
                break;
            }
            self.expiring.pop_front();
            if self
                .batches
                .get(&sensor)
                .is_some_and(|b| !b.items.is_empty() && b.first_t == first_t)
            {
                self.flush_sensor(sensor);
            }
        }
    }

    fn flush_all(&mut self) {
        self.flush_older(f64::INFINITY);
    }

    fn alloc(&mut self, tr: Track) -> u32 {
        self.stats.tracks_started += 1;
        if let Some(s) = self.free.pop() {
            self.tracks[s as usize] = Some(tr);
            s
        } else {
            self.tracks.push(Some(tr));
            (self.tracks.len() - 1) as u32
        }
    }

    fn delete(&mut self, slot: u32) {
        if let Some(tr) = self.tracks[slot as usize].take() {
            if let Some(icao) = tr.icao
                && self.by_icao.get(&icao) == Some(&slot)
            {
                self.by_icao.remove(&icao);
            }
            self.stats.tracks_deleted += 1;
            self.free.push(slot);
        }
    }

    fn new_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Slots of tracks whose indexed position may explain `m` (a superset).
    fn candidates(&mut self, m: &Prepared) {
        self.cands.clear();
        self.stamp += 1;
        let stamp = self.stamp;
        let g = &self.cfg.gating;
        let drift = g.margin_m + g.max_speed_mps * (m.t - self.grid_t).abs().min(g.max_lateness_s);
        let tracks = &mut self.tracks;
        let cands = &mut self.cands;
        let mut visit = |s: u32| {
            if let Some(tr) = tracks[s as usize].as_mut()
                && tr.stamp != stamp
            {
                tr.stamp = stamp;
                cands.push(s);
            }
        };
        let cell = g.cell_m;
        match &m.kind {
            Kind::Radar {
                origin,
                range,
                az,
                el,
                sd_az,
                ..
            } => {
                let extent = range * sd_az * 4.0;
                match el {
                    Some(el) => {
                        let p = origin.point(&dir(*az, *el).scale(*range));
                        self.grid.query(&p, drift + extent, &mut visit);
                    }
                    None => {
                        // Unknown elevation: the target is somewhere on an arc.
                        let top = (15_000.0 / range).min(1.0).asin();
                        let steps = ((range * top) / cell).ceil().clamp(1.0, 32.0) as usize;
                        for i in 0..=steps {
                            let e = top * i as f64 / steps as f64;
                            let p = origin.point(&dir(*az, e).scale(*range));
                            self.grid.query(&p, drift + extent + 0.5 * cell, &mut visit);
                        }
                    }
                }
            }
            Kind::Bearing { origin, az, el, .. } => {
                let reach = g.bearing_range_m;
                let steps = (reach / cell).ceil().clamp(1.0, 64.0) as usize;
                let e = el.unwrap_or(0.0).clamp(-0.2, 1.4);
                for i in 0..=steps {
                    let r = reach * i as f64 / steps as f64;
                    let p = origin.point(&dir(*az, e).scale(r));
                    // Without elevation the target may be well above the ray: widen.
                    let up = if el.is_some() { 0.0 } else { 3000.0 };
                    self.grid.query(&p, drift + 0.5 * cell + up, &mut visit);
                }
                // The cells reach past `reach`; tracks beyond it (plus how far they may
                // have moved since indexed) are out of the sensor's hearing. Without this,
                // a far track on the extension of a near drone's ray wins the ray: its
                // angular uncertainty is smaller.
                let (tracks, o) = (&self.tracks, origin.ecef);
                let limit = reach + drift;
                self.cands.retain(|&s| {
                    tracks[s as usize]
                        .as_ref()
                        .is_some_and(|tr| (tr.indexed_ecef - o).norm() <= limit)
                });
            }
            Kind::Position { ecef, sd_h, sd_v } => {
                self.grid
                    .query(ecef, drift + 4.0 * sd_h.max(*sd_v), &mut visit);
            }
            Kind::Adsb { ecef, .. } => {
                self.grid.query(ecef, drift, &mut visit);
            }
        }
    }

    /// Gates every report of a batch, associates by GNN on independent clusters, updates
    /// and initiates.
    fn process_batch(&mut self, items: &mut [Prepared]) {
        if items.is_empty() {
            return;
        }
        items.sort_by(|a, b| a.t.total_cmp(&b.t));
        self.pairs.clear();
        for (i, m) in items.iter().enumerate() {
            self.candidates(m);
            for ci in 0..self.cands.len() {
                let s = self.cands[ci];
                let Some(tr) = self.tracks[s as usize].as_ref() else {
                    continue;
                };
                let (imm, cfg) = (&self.imm, &self.cfg);
                let r = with_model!(m, tr, cfg, |model| tr
                    .state
                    .gate(imm, &model, m.t)
                    .map(|inn| (inn.d2, inn.ln_det_s, inn.y.len())));
                if let Some((d2, ln_det, dim)) = r
                    && d2 <= self.gates[dim.min(6)]
                {
                    let pen = association_penalty(tr);
                    let ln_n = -0.5 * (d2 + ln_det + dim as f64 * LN_2PI);
                    self.pairs.push((i as u32, s, d2 + ln_det + pen, d2, ln_n));
                }
            }
        }
        if self.cfg.association.method == AssociationMethod::Jpda {
            self.process_jpda(items);
            return;
        }
        let assignment = self.associate(items.len());
        for (i, m) in items.iter().enumerate() {
            match assignment[i] {
                Some(slot) => {
                    let (d2, ln_n) = self.pair_fit(i, slot);
                    self.note_clutter(Some(slot), m);
                    self.update_track(slot, m, d2, ln_n);
                }
                None => {
                    let gated = self.pairs.iter().any(|p| p.0 == i as u32);
                    if !gated {
                        self.note_clutter(None, m);
                        self.initiate(m);
                    }
                }
            }
        }
    }

    /// Notes a radar plot in the clutter map if no confirmed track takes it: it starts
    /// a track (`slot` None) or updates a tentative one ([`crate::clutter`]).
    fn note_clutter(&mut self, slot: Option<u32>, m: &Prepared) {
        let ic = &self.cfg.initiation;
        let Kind::Radar { range, el, .. } = &m.kind else {
            return;
        };
        if ic.confirm_llr <= 0.0 {
            return;
        }
        let unexplained = slot.is_none_or(|s| {
            self.tracks[s as usize]
                .as_ref()
                .is_some_and(|tr| tr.status == Status::Tentative)
        });
        if unexplained {
            self.clutter.note(
                m.sensor,
                *range,
                *el,
                m.t,
                ic.clutter_bin_m,
                ic.clutter_memory_s,
            );
        }
    }

    /// Adds a radar plot's evidence to the log-likelihood ratio of a tentative track
    /// started from plots ([`crate::clutter`]), before the plot updates it: `ln(Pd ·
    /// N(ν; S) / (λ · Δt))`, with `ln_n = ln N(ν; S)` from the gating. Any other hit, or
    /// a plot where the map does not know the density yet, takes the track out of the
    /// test.
    fn weigh_plot(&mut self, slot: u32, m: &Prepared, ln_n: f64) {
        let cfg = &self.cfg;
        let ic = &cfg.initiation;
        let Some(tr) = self.tracks[slot as usize].as_mut() else {
            return;
        };
        if !tr.llr_applies || tr.status != Status::Tentative {
            return;
        }
        let Kind::Radar { range, el, .. } = &m.kind else {
            tr.llr_applies = false;
            return;
        };
        let density = self.clutter.density(
            m.sensor,
            *range,
            m.t,
            ic.clutter_bin_m,
            ic.clutter_memory_s,
            ic.clutter_min_plots,
        );
        let Some(d) = density.filter(|_| ln_n.is_finite()) else {
            tr.llr_applies = false;
            return;
        };
        let ln_lambda = if el.is_some() {
            d.ln_range_az_el
        } else {
            d.ln_range_az
        };
        let since = if tr.last_radar_sensor == m.sensor {
            tr.last_radar_t
        } else {
            tr.created_t
        };
        let dt = (m.t - since).clamp(ic.min_scan_gap_s.max(0.1), 30.0);
        let pd = cfg.association.jpda.p_detection.clamp(0.01, 1.0);
        tr.llr += pd.ln() + ln_n - ln_lambda - dt.ln();
    }

    /// Gate distance d² and log-likelihood `ln N(ν; S)` of report `i` of the batch
    /// against the track in `slot`, as gated (infinite and NaN if the pair was not).
    fn pair_fit(&self, i: usize, slot: u32) -> (f64, f64) {
        self.pairs
            .iter()
            .find(|p| p.0 == i as u32 && p.1 == slot)
            .map_or((f64::INFINITY, f64::NAN), |p| (p.3, p.4))
    }

    /// GNN: for each report, the track it updates. Clusters of reports and tracks
    /// linked by gates are solved independently with an optimal assignment.
    fn associate(&self, n: usize) -> Vec<Option<u32>> {
        let mut out = vec![None; n];
        if self.pairs.is_empty() {
            return out;
        }
        if n == 1 {
            out[0] = self
                .pairs
                .iter()
                .min_by(|a, b| a.2.total_cmp(&b.2))
                .map(|p| p.1);
            return out;
        }
        for c in self.clusters(n) {
            self.gnn_cluster(&c, &mut out);
        }
        out
    }

    /// Independent clusters of the current batch's gated pairs, in a deterministic
    /// order (reports without any gated track are left out).
    fn clusters(&self, n: usize) -> Vec<Cluster> {
        // Union-find over reports (0..n) and tracks (n..).
        let mut slot_ix: FxMap<u32, usize> = FxMap::default();
        for p in &self.pairs {
            let k = slot_ix.len();
            slot_ix.entry(p.1).or_insert(k);
        }
        let mut parent: Vec<usize> = (0..n + slot_ix.len()).collect();
        fn find(p: &mut [usize], mut x: usize) -> usize {
            while p[x] != x {
                p[x] = p[p[x]];
                x = p[x];
            }
            x
        }
        for p in &self.pairs {
            let a = find(&mut parent, p.0 as usize);
            let b = find(&mut parent, n + slot_ix[&p.1]);
            if a != b {
                parent[a] = b;
            }
        }
        let mut clusters: FxMap<usize, Cluster> = FxMap::default();
        for i in 0..n {
            let r = find(&mut parent, i);
            clusters.entry(r).or_default().rows.push(i);
        }
        for (&slot, &k) in &slot_ix {
            let r = find(&mut parent, n + k);
            clusters.entry(r).or_default().cols.push(slot);
        }
        for (pi, p) in self.pairs.iter().enumerate() {
            let r = find(&mut parent, p.0 as usize);
            if let Some(c) = clusters.get_mut(&r) {
                c.pairs.push(pi);
            }
        }
        let mut keys: Vec<usize> = clusters.keys().copied().collect();
        keys.sort_unstable();
        keys.into_iter()
            .filter_map(|k| clusters.remove(&k))
            .filter(|c| !c.cols.is_empty())
            .collect()
    }

    /// GNN on one cluster: optimal assignment, reports may stay unassigned.
    fn gnn_cluster(&self, c: &Cluster, out: &mut [Option<u32>]) {
        let (rows, cols) = (&c.rows, &c.cols);
        let (nr, nc) = (rows.len(), cols.len() + rows.len());
        // Forbidden pairs cost more than leaving a report out (dummy column).
        let mut costs = vec![1e9; nr * nc];
        for (ri, _) in rows.iter().enumerate() {
            costs[ri * nc + cols.len() + ri] = 1e6;
        }
        for &pi in &c.pairs {
            let p = &self.pairs[pi];
            let Some(ri) = rows.iter().position(|&r| r == p.0 as usize) else {
                continue;
            };
            let Some(ci) = cols.iter().position(|&c| c == p.1) else {
                continue;
            };
            costs[ri * nc + ci] = p.2;
        }
        for (ri, c) in assign(&costs, nr, nc).into_iter().enumerate() {
            if let Some(c) = c
                && c < cols.len()
            {
                out[rows[ri]] = Some(cols[c]);
            }
        }
    }

    /// JPDA over the batch's independent clusters: marginal association probabilities,
    /// then a PDA update of every track in a solved cluster; clusters above the limits
    /// with a GNN fallback are assigned by GNN. Reports in no gate, and reports no track
    /// claims with probability `initiate_below` or more, may start tracks.
    fn process_jpda(&mut self, items: &[Prepared]) {
        let n = items.len();
        let jc = self.cfg.association.jpda;
        let pd = if jc.p_detection.is_finite() {
            jc.p_detection.clamp(0.01, 0.999)
        } else {
            0.8
        };
        let pg = self.cfg.gating.gate_prob;
        let pg = if pg.is_finite() {
            pg.clamp(0.5, 1.0)
        } else {
            0.999
        };
        // Ratios relative to a missed detection: Pd N / (λ (1 - Pd Pg)).
        let ln_k = pd.ln() - (1.0 - pd * pg).ln();
        let lim = Limits {
            max_tracks: jc.max_cluster_tracks,
            max_reports: jc.max_cluster_reports,
            max_hypotheses: jc.max_hypotheses,
        };
        let mut hard: Vec<Option<u32>> = vec![None; n];
        // Largest association probability of each report, NaN if left to GNN.
        let mut best = vec![0.0f64; n];
        let mut gated = vec![false; n];
        for p in &self.pairs {
            gated[p.0 as usize] = true;
        }
        let clusters = self.clusters(n);
        let mut ln_g = std::mem::take(&mut self.jp_ln_g);
        let mut ln_n = std::mem::take(&mut self.jp_ln_n);
        let mut beta = std::mem::take(&mut self.jp_beta);
        for c in &clusters {
            let (nt, nm) = (c.cols.len(), c.rows.len());
            ln_g.clear();
            ln_g.resize(nt * nm, f64::NEG_INFINITY);
            ln_n.clear();
            ln_n.resize(nt * nm, f64::NAN);
            for &pi in &c.pairs {
                let p = self.pairs[pi];
                let (Ok(ri), Some(ci)) = (
                    c.rows.binary_search(&(p.0 as usize)),
                    c.cols.iter().position(|&s| s == p.1),
                ) else {
                    continue;
                };
                let pen = self.tracks[p.1 as usize]
                    .as_ref()
                    .map_or(0.0, association_penalty);
                let lc = ln_clutter_density(&items[p.0 as usize], &self.cfg);
                // The GNN's penalties are costs (-2 ln likelihood): same here.
                let v = ln_k + p.4 - lc - 0.5 * pen;
                ln_g[ci * nm + ri] = if v.is_finite() { v } else { f64::NEG_INFINITY };
                ln_n[ci * nm + ri] = p.4;
            }
            let solved = self
                .jpda
                .marginals(&ln_g, nt, nm, &lim, jc.fallback, &mut beta);
            if solved == Solved::Gnn {
                self.gnn_cluster(c, &mut hard);
                for &r in &c.rows {
                    best[r] = f64::NAN;
                }
                continue;
            }
            let w = nm + 1;
            for ci in 0..nt {
                let row = &beta[ci * w..(ci + 1) * w];
                for (ri, &r) in c.rows.iter().enumerate() {
                    best[r] = best[r].max(row[1 + ri]);
                }
                self.pda_update(
                    c.cols[ci],
                    items,
                    &c.rows,
                    row,
                    &ln_n[ci * nm..(ci + 1) * nm],
                );
            }
        }
        self.jp_ln_g = ln_g;
        self.jp_ln_n = ln_n;
        self.jp_beta = beta;
        for (i, m) in items.iter().enumerate() {
            if let Some(slot) = hard[i] {
                let (d2, ln_n) = self.pair_fit(i, slot);
                self.note_clutter(Some(slot), m);
                self.update_track(slot, m, d2, ln_n);
            } else if !gated[i] || best[i] < jc.initiate_below {
                // NaN (a GNN-assigned cluster's unassigned report) never initiates.
                self.note_clutter(None, m);
                self.initiate(m);
            }
        }
    }

    /// PDA update of one track with the reports `rows` of its cluster, weighted by
    /// `beta` (`[β₀, β₁, …]`, `β₀` no detection); `ln_n` holds each report's gate
    /// log-likelihood for this track (NaN where not gated).
    ///
    /// Why per IMM mode rather than on the mixed estimate: the association
    /// probabilities come from the combined (gating) estimate, one set per track, but
    /// each mode is updated with its own innovations, gains and spread term, and the
    /// mode probabilities with each mode's PDA likelihood; collapsing the modes first
    /// would throw away the manoeuvre evidence the IMM exists for, at no saving (the
    /// innovations per mode are what a GNN update computes anyway).
    fn pda_update(
        &mut self,
        slot: u32,
        items: &[Prepared],
        rows: &[usize],
        beta: &[f64],
        ln_n: &[f64],
    ) {
        /// Reports below this share are not worth an update (their weight goes to β₀).
        const MIN_BETA: f64 = 1e-6;
        let (imm, cfg) = (&self.imm, &self.cfg);
        let Some(tr) = self.tracks[slot as usize].as_mut() else {
            return;
        };
        let usable = |ri: usize, tr: &Track| {
            let b = beta[1 + ri];
            let m = &items[rows[ri]];
            b >= MIN_BETA && ln_n[ri].is_finite() && !tr.has_seen(m.key, m.t)
        };
        let mut best: Option<usize> = None;
        let mut t_ref = tr.state.t;
        for ri in 0..rows.len() {
            if !usable(ri, tr) {
                continue;
            }
            t_ref = t_ref.max(items[rows[ri]].t);
            if best.is_none_or(|b| beta[1 + ri] > beta[1 + b]) {
                best = Some(ri);
            }
        }
        let Some(bi) = best else {
            return;
        };
        let oos = items[rows[bi]].t < tr.state.t - 1e-6;
        tr.state.predict(imm, t_ref);
        let mut acc = Pda::default();
        let mut miss = beta[0];
        for ri in 0..rows.len() {
            if !usable(ri, tr) {
                miss += beta[1 + ri];
                continue;
            }
            let m = &items[rows[ri]];
            let b = beta[1 + ri];
            let ok = with_model!(m, tr, cfg, |model| tr
                .state
                .pda_add(imm, &model, m.t, b, ln_n[ri], &mut acc));
            if !ok {
                miss += b;
            }
        }
        if !tr.state.pda_finish(miss, &acc) || !tr.state.is_finite() {
            self.stats.failed_updates += 1;
            return;
        }
        // The track counts as detected (kept alive, hit counted) when its detection
        // mass is the larger part.
        if miss < 0.5 {
            let m = &items[rows[bi]];
            tr.seen(m.key, m.t);
            // A soft update weighs clutter in its own association probabilities; the
            // clutter map's likelihood test is for hard (GNN) updates.
            tr.llr_applies = false;
            let (d2, _) = self.pair_fit(rows[bi], slot);
            self.credit(slot, m, d2, oos);
        }
    }

    /// Updates a track with an associated report; `d2` is the gate distance, which
    /// decides whether the hit counts towards confirmation, and `ln_n` the report's
    /// gate log-likelihood (NaN if not known), for the clutter test.
    fn update_track(&mut self, slot: u32, m: &Prepared, d2: f64, ln_n: f64) {
        let Some(tr) = self.tracks[slot as usize].as_mut() else {
            return;
        };
        if tr.seen(m.key, m.t) {
            self.stats.accepted -= 1;
            self.stats.rejected[Rejection::Duplicate.index()] += 1;
            return;
        }
        let oos = m.t < tr.state.t - 1e-6;
        self.weigh_plot(slot, m, ln_n);
        let (imm, cfg) = (&self.imm, &self.cfg);
        let Some(tr) = self.tracks[slot as usize].as_mut() else {
            return;
        };
        let ok = with_model!(m, tr, cfg, |model| tr.state.update(imm, &model, m.t));
        if ok.is_none() || !tr.state.is_finite() {
            self.stats.failed_updates += 1;
            return;
        }
        self.credit(slot, m, d2, oos);
        if !oos {
            self.constrain_to_reach(slot, m);
        }
    }

    /// Bookkeeping of a track updated with report `m` (gate distance `d2`): counters,
    /// last update, class hints, confirmation score and status.
    fn credit(&mut self, slot: u32, m: &Prepared, d2: f64, oos: bool) {
        let cfg = &self.cfg;
        let Some(tr) = self.tracks[slot as usize].as_mut() else {
            return;
        };
        self.stats.associated += 1;
        if oos {
            self.stats.out_of_sequence += 1;
        }
        tr.note_update(m.t);
        if !oos {
            tr.note_path(m.t, &cfg.classify);
        }
        tr.hits += 1;
        if let Some(h) = m.hint {
            let c = &mut tr.hints[class_index(h)];
            *c = c.saturating_add(1).min(50);
        }
        if let Kind::Bearing { mobile: false, .. } = m.kind {
            tr.quiet_s = (tr.quiet_s - cfg.classify.quiet_tau_s).max(0.0);
        }
        if !matches!(m.kind, Kind::Bearing { mobile: true, .. }) {
            tr.reporters_only = false;
        }
        let (w, support) = match &m.kind {
            // Phone reports confirm only what phone reports alone started.
            Kind::Bearing { mobile: true, .. } if tr.reporters_only => (1.0, 0),
            Kind::Bearing { mobile: true, .. } => (0.0, 0),
            Kind::Bearing { .. } => (cfg.initiation.bearing_score, SUPPORT_BEARING),
            _ => (1.0, SUPPORT_PLOT),
        };
        // M-of-N in effect: a hit counts towards confirmation only if it fits the track
        // well (inside the tighter confirmation gate) and comes from another scan than
        // the last counted hit of the same sensor, so clutter that happens to fall in
        // a young track's wide gate, or two plots of one scan, do not confirm it.
        let dim = match &m.kind {
            Kind::Radar { el: Some(_), .. } | Kind::Position { .. } => 3,
            Kind::Radar { el: None, .. } | Kind::Bearing { el: Some(_), .. } => 2,
            Kind::Bearing { el: None, .. } => 1,
            Kind::Adsb { .. } => 6,
        };
        // Bearings count only from another sensor than the last counted hit: rays of
        // one node through a young track's wide uncertainty test nothing (a drone far
        // beyond it on the same line sends them too); rays of two nodes crossing at it
        // locate it.
        // A node that declares its reach is the exception: nothing beyond the reach sends
        // its rays, so a later look of it tests the track too.
        let gap = (m.t - tr.last_hit_t).abs();
        let fresh = m.sensor != tr.last_hit_sensor
            || match m.kind {
                Kind::Bearing {
                    reach: Some(_),
                    mobile: false,
                    ..
                } => gap >= cfg.hearing.same_node_gap_s,
                Kind::Bearing { .. } => false,
                _ => gap >= cfg.initiation.min_scan_gap_s,
            };
        if fresh && d2 <= self.confirm_gates[dim] {
            tr.score += w;
            tr.last_hit_sensor = m.sensor;
            tr.last_hit_t = m.t;
        }
        tr.support |= support;
        if let Kind::Bearing {
            reach: Some(r),
            mobile: false,
            ..
        } = m.kind
        {
            tr.reach_m = tr.reach_m.max(r);
        }
        if support == SUPPORT_PLOT {
            tr.note_fix(m.t);
        }
        if let Kind::Radar { origin, range, .. } = &m.kind {
            // The gap since this radar's previous plot of a track it is following, for
            // the revisit map (not of tentative tracks: clutter; nor of airliners: their
            // big echoes are never missed).
            if !oos
                && tr.status != Status::Tentative
                && tr.icao.is_none()
                && tr.last_radar_sensor == m.sensor
            {
                let gap = m.t - tr.last_radar_t;
                if gap >= cfg.initiation.min_scan_gap_s && gap <= RADAR_MEMORY_S {
                    self.revisit
                        .note(m.sensor, *range, gap, cfg.life.revisit_bin_m);
                }
            }
            if m.t >= tr.last_radar_t {
                tr.last_radar_sensor = m.sensor;
                tr.last_radar_t = m.t;
                tr.last_radar_ecef = Some(origin.ecef);
            }
        }
        if let Kind::Adsb { .. } = m.kind {
            tr.last_adsb_t = tr.last_adsb_t.max(m.t);
        }
        match tr.status {
            Status::Coasting if !oos => tr.status = Status::Confirmed,
            Status::Tentative
                if tr.score >= cfg.initiation.confirm_score
                    && tr.last_update_t - tr.created_t >= cfg.initiation.confirm_min_age_s
                    && (!tr.llr_applies || tr.llr >= cfg.initiation.confirm_llr) =>
            {
                tr.status = Status::Confirmed;
                self.stats.tracks_confirmed += 1;
            }
            _ => {}
        }
    }

    fn new_track(&mut self, frame: LocalFrame, t: f64, x: State, p: Cov) -> u32 {
        let id = self.new_id();
        let mut tr = Track::new(id, frame, ImmState::new(t, x, p, 0.1));
        tr.indexed_ecef = tr.ecef_of(&x);
        let e = tr.indexed_ecef;
        let s = self.alloc(tr);
        // Visible to the next report at once, not only after the next index rebuild.
        self.grid.insert(&e, s);
        s
    }

    fn initial_cov(&self, pos: &Matrix3<f64>, sd_vu: f64) -> Cov {
        let ic = &self.cfg.initiation;
        let mut p = Cov::zeros();
        let pi = [E, N, U];
        for r in 0..3 {
            for c in 0..3 {
                p[(pi[r], pi[c])] = pos[(r, c)];
            }
        }
        p[(VE, VE)] = ic.init_sd_vel.powi(2);
        p[(VN, VN)] = ic.init_sd_vel.powi(2);
        p[(VU, VU)] = sd_vu * sd_vu;
        p[(W, W)] = ic.init_sd_turn.powi(2);
        p
    }

    fn initiate(&mut self, m: &Prepared) {
        let ic = self.cfg.initiation;
        match &m.kind {
            Kind::Radar {
                origin,
                range,
                az,
                el,
                sd_range,
                sd_az,
                sd_el,
            } => {
                let (e, sd_e) = match el {
                    Some(e) => (*e, *sd_el),
                    None => {
                        let s = ((ic.prior_alt_m - origin.alt_m) / range).clamp(-0.2, 0.99);
                        (s.asin(), (ic.prior_sd_alt_m / range).min(0.5))
                    }
                };
                let (pos, j) = polar_to_enu(*range, *az, e);
                let d = Matrix3::from_diagonal(&Vector3::new(
                    sd_range * sd_range,
                    sd_az * sd_az,
                    sd_e * sd_e,
                ));
                let cov = j * d * j.transpose();
                let x = State::from_column_slice(&[pos.x, pos.y, 0.0, 0.0, 0.0, pos.z, 0.0]);
                let p = self.initial_cov(&cov, 5.0);
                let s = self.new_track(LocalFrame::new(origin.geo), m.t, x, p);
                self.first_hit(s, m);
            }
            Kind::Position { ecef, sd_h, sd_v } => {
                let g = skywatch_geo::ecef_to_geodetic(ecef);
                let frame = LocalFrame::new(Geodetic::new(g.lat_deg, g.lon_deg, 0.0));
                let pos = frame.ecef_to_enu(ecef);
                let x = State::from_column_slice(&[pos.x, pos.y, 0.0, 0.0, 0.0, pos.z, 0.0]);
                let cov =
                    Matrix3::from_diagonal(&Vector3::new(sd_h * sd_h, sd_h * sd_h, sd_v * sd_v));
                let p = self.initial_cov(&cov, 5.0);
                let s = self.new_track(frame, m.t, x, p);
                self.first_hit(s, m);
            }
            Kind::Bearing {
                origin,
                az,
                el,
                sd_az,
                sd_el,
                mobile,
                reach,
            } => {
                if *mobile {
                    let rc = self.cfg.reporters;
                    let gate = self.reporter_gate;
                    // A shown track within the reporter's reach: the report is about it
                    // and missed its gate, so it says nothing of fakes if left unused.
                    // Only the density rule asks (a scan of every track per report).
                    let near = rc.reach_m + rc.duplicate_m;
                    let near_track = rc.dense_partners > 0.0
                        && self.tracks.iter().flatten().any(|tr| {
                            tr.status != Status::Tentative
                                && (tr.ecef_at(m.t) - origin.ecef).norm() <= near
                        });
                    let flight = self
                        .reporters
                        .add(m.t, m.sensor, origin, *az, *sd_az, near_track, gate, &rc);
                    if let Some(f) = flight {
                        self.start_from_reporters(&f, m);
                        return;
                    }
                    if !ic.from_mobile {
                        return;
                    }
                }
                let el = el.map(|e| (e, *sd_el));
                let b = Pooled::new(m.t, m.sensor, *origin, *az, *sd_az, el);
                if let Some(fix) = self.pool.add(b, &ic, self.cfg.gating.bearing_range_m) {
                    self.start_from_fix(&fix, m);
                    return;
                }
                let hc = self.cfg.hearing;
                if let Some(reach) = reach
                    && hc.single_node
                    && !*mobile
                {
                    let h = Heard {
                        t: m.t,
                        az: *az,
                        sd_az: *sd_az,
                        el,
                        loud: m.hint == Some(Class::Aircraft),
                    };
                    if let Some(start) = self.heard.add(m.sensor, origin, *reach, h, &hc) {
                        self.start_from_heard(&start, m);
                    }
                }
            }
            Kind::Adsb { .. } => self.process_adsb(m),
        }
    }

    fn first_hit(&mut self, slot: u32, m: &Prepared) {
        if let Some(tr) = self.tracks[slot as usize].as_mut() {
            tr.seen(m.key, m.t);
            tr.hits = 1;
            tr.score = 1.0;
            tr.support = SUPPORT_PLOT;
            tr.last_hit_sensor = m.sensor;
            tr.last_hit_t = m.t;
            tr.last_fix_t = m.t;
            if let Kind::Radar { origin, .. } = &m.kind {
                tr.last_radar_sensor = m.sensor;
                tr.last_radar_t = m.t;
                tr.last_radar_ecef = Some(origin.ecef);
                tr.llr_applies = self.cfg.initiation.confirm_llr > 0.0;
            }
            if let Some(h) = m.hint {
                tr.hints[class_index(h)] = 1;
            }
        }
    }

    /// A tentative track located by bearings alone, at `pos` (covariance `cov`) in
    /// `frame`, from the rays of `bearings` looks.
    fn start_bearing_track(
        &mut self,
        frame: LocalFrame,
        t: f64,
        pos: &Vector3<f64>,
        cov: &Matrix3<f64>,
        bearings: usize,
        m: &Prepared,
    ) -> u32 {
        let ic = self.cfg.initiation;
        let x = State::from_column_slice(&[pos.x, pos.y, 0.0, 0.0, 0.0, pos.z, 0.0]);
        let p = self.initial_cov(cov, 5.0);
        let s = self.new_track(frame, t, x, p);
        if let Some(tr) = self.tracks[s as usize].as_mut() {
            tr.seen(m.key, m.t);
            tr.hits = bearings as u32;
            tr.score = ic.bearing_score * bearings as f64;
            tr.support = SUPPORT_BEARING;
            if let Some(h) = m.hint {
                tr.hints[class_index(h)] = 1;
            }
        }
        s
    }

    fn start_from_fix(&mut self, fix: &Fix, m: &Prepared) {
        let mut cov = Matrix3::zeros();
        cov.fixed_view_mut::<2, 2>(0, 0).copy_from(&fix.cov_h);
        cov[(2, 2)] = fix.sd_u * fix.sd_u;
        self.start_bearing_track(fix.frame, fix.t, &fix.pos, &cov, fix.sensors, m);
        self.stats.triangulations += 1;
    }

    /// A confirmed track from a straight flight fitted to phone reports of three
    /// people, unless a track is already there (their reports were about it).
    fn start_from_reporters(&mut self, f: &Flight, m: &Prepared) {
        let rc = self.cfg.reporters;
        let here = f.frame.enu_to_ecef(&Vector3::new(f.pos.x, f.pos.y, 0.0));
        let taken = self.tracks.iter().flatten().any(|tr| {
            tr.status != Status::Tentative && (tr.ecef_at(f.t) - here).norm() <= rc.duplicate_m
        });
        if taken {
            return;
        }
        let ic = self.cfg.initiation;
        let mut x = State::zeros();
        x[E] = f.pos.x;
        x[N] = f.pos.y;
        x[U] = ic.prior_alt_m;
        x[VE] = f.vel.x;
        x[VN] = f.vel.y;
        let mut cov = Matrix3::zeros();
        cov.fixed_view_mut::<2, 2>(0, 0).copy_from(&f.cov_pos);
        cov[(2, 2)] = ic.prior_sd_alt_m.powi(2);
        let mut p = self.initial_cov(&cov, 5.0);
        p[(VE, VE)] = f.cov_vel[(0, 0)];
        p[(VE, VN)] = f.cov_vel[(0, 1)];
        p[(VN, VE)] = f.cov_vel[(1, 0)];
        p[(VN, VN)] = f.cov_vel[(1, 1)];
        let s = self.new_track(f.frame, f.t, x, p);
        self.stats.reporter_starts += 1;
        // Where fake reports are dense, three that line up may be chance: one more
        // report (or any sensor) must confirm the flight ([`crate::reporters`]).
        let dense = rc.dense_partners > 0.0 && f.chance_partners >= rc.dense_partners;
        if dense {
            self.stats.reporter_dense_starts += 1;
        } else {
            self.stats.tracks_confirmed += 1;
        }
        if let Some(tr) = self.tracks[s as usize].as_mut() {
            tr.seen(m.key, m.t);
            tr.hits = f.reports as u32;
            if dense {
                tr.score = ic.confirm_score - 1.0;
                tr.status = Status::Tentative;
            } else {
                tr.score = ic.confirm_score;
                tr.status = Status::Confirmed;
            }
            tr.reporters_only = true;
            tr.last_hit_sensor = m.sensor;
            tr.last_hit_t = m.t;
            if let Some(h) = m.hint {
                tr.hints[class_index(h)] = 1;
            }
        }
    }

    /// A tentative track from one node's agreeing bearings ([`crate::hearing`]).
    fn start_from_heard(&mut self, start: &Start, m: &Prepared) {
        let s = self.start_bearing_track(
            start.frame,
            start.t,
            &start.pos,
            &start.cov,
            start.bearings,
            m,
        );
        self.stats.single_node_starts += 1;
        if let Some(tr) = self.tracks[s as usize].as_mut() {
            tr.support |= SUPPORT_REACH;
            tr.reach_m = start.reach_m;
            tr.last_hit_sensor = m.sensor;
            tr.last_hit_t = start.t;
        }
    }

    /// After a bearing update: keeps a track that no plot or fix has located lately
    /// within the reach of the node that heard it ([`crate::hearing::truncate_range`]).
    fn constrain_to_reach(&mut self, slot: u32, m: &Prepared) {
        let hc = self.cfg.hearing;
        let Kind::Bearing {
            origin,
            reach: Some(reach),
            mobile: false,
            ..
        } = &m.kind
        else {
            return;
        };
        let imm = &self.imm;
        let Some(tr) = self.tracks[slot as usize].as_mut() else {
            return;
        };
        let aircraft = |h: &[u8; 4]| h[class_index(Class::Aircraft)] > h[class_index(Class::Drone)];
        if !hc.constrain
            || tr.icao.is_some()
            || m.hint == Some(Class::Aircraft)
            || aircraft(&tr.hints)
            || (tr.support & SUPPORT_PLOT != 0 && m.t - tr.last_fix_t <= hc.constrain_after_s)
        {
            return;
        }
        let geom = SensorGeom::new(&tr.frame, &origin.ecef, &origin.rot);
        let probe = Polar::<1> {
            geom,
            comps: [Comp::Range],
            z: SVector::<f64, 1>::new(0.0),
            sd: SVector::<f64, 1>::new(1.0),
        };
        let (x, p) = tr.state.combined();
        let r = probe.h(&x)[0];
        let hj = probe.jacobian(&x);
        let var = (hj * p * hj.transpose())[(0, 0)];
        let Some((z, v)) = truncate_range(r, var, *reach, hc.constrain_tail) else {
            return;
        };
        let model = Polar::<1> {
            z: SVector::<f64, 1>::new(z),
            sd: SVector::<f64, 1>::new(v.sqrt()),
            ..probe
        };
        let before = tr.state;
        if tr.state.update(imm, &model, tr.state.t).is_none() || !tr.state.is_finite() {
            tr.state = before;
        } else {
            self.stats.reach_constraints += 1;
        }
    }

    fn process_adsb(&mut self, m: &Prepared) {
        let Kind::Adsb {
            icao,
            callsign,
            pos,
            ecef,
            vel,
            receiver,
        } = &m.kind
        else {
            return;
        };
        if let Some(at) = receiver {
            self.receivers.heard(m.sensor, at, ecef, m.t);
        }
        if let Some(&slot) = self.by_icao.get(icao)
            && self.tracks[slot as usize]
                .as_ref()
                .is_some_and(|t| t.icao == Some(*icao))
        {
            let (imm, cfg) = (&self.imm, &self.cfg);
            let tr = self.tracks[slot as usize].as_ref().expect("checked above");
            let d2 = with_model!(m, tr, cfg, |model| tr
                .state
                .gate(imm, &model, m.t)
                .map(|i| i.d2));
            // An aircraft's own position is trusted over our estimate: if they disagree
            // wildly (a gap, a bad update) restart the state rather than fight it.
            if let Some(d2) = d2.filter(|d| *d < 1e4) {
                self.update_track(slot, m, d2, f64::NAN);
                if let (Some(cs), Some(tr)) = (callsign, self.tracks[slot as usize].as_mut()) {
                    tr.callsign = Some(cs.clone());
                }
                return;
            }
            self.delete(slot);
        }
        let frame = LocalFrame::new(Geodetic::new(pos.lat_deg, pos.lon_deg, 0.0));
        let p0 = frame.ecef_to_enu(ecef);
        let v = vel.unwrap_or_else(Vector3::zeros);
        let x = State::from_column_slice(&[p0.x, p0.y, v.x, v.y, 0.0, p0.z, v.z]);
        let sn = &self.cfg.sensors;
        let cov = Matrix3::from_diagonal(&Vector3::new(
            sn.adsb_sd_h_m.powi(2),
            sn.adsb_sd_h_m.powi(2),
            sn.adsb_sd_v_m.powi(2),
        ));
        let sv = if vel.is_some() { sn.adsb_sd_vel } else { 250.0 };
        let mut p = self.initial_cov(&cov, sv);
        p[(VE, VE)] = sv * sv;
        p[(VN, VN)] = sv * sv;
        let s = self.new_track(frame, m.t, x, p);
        if let Some(tr) = self.tracks[s as usize].as_mut() {
            tr.seen(m.key, m.t);
            tr.status = Status::Confirmed;
            tr.last_adsb_t = m.t;
            tr.hits = 1;
            tr.score = self.cfg.initiation.confirm_score;
            tr.support = SUPPORT_PLOT;
            tr.icao = Some(*icao);
            tr.callsign = callsign.clone();
        }
        self.stats.tracks_confirmed += 1;
        self.by_icao.insert(*icao, s);
    }

    /// Once a second of measurement time: statuses, deletion, re-anchoring, the spatial
    /// index, merging of duplicate tracks, pruning of the bearing pool.
    fn maintain(&mut self, t: f64) {
        let life = self.cfg.life;
        self.flush_older(t - self.cfg.gating.batch_window_s);
        // Forget sensors with nothing waiting: mobile reporters come and go, and a
        // 24-hour service must not keep one entry per phone it ever heard from.
        let spare = &mut self.spare;
        self.batches.retain(|_, b| {
            if b.items.is_empty() {
                if spare.len() < MAX_SPARE_BATCHES {
                    spare.push(std::mem::take(&mut b.items));
                }
                false
            } else {
                true
            }
        });
        self.keep_plotted_aircraft(t);
        self.doomed.clear();
        for (s, slot) in self.tracks.iter_mut().enumerate() {
            let Some(tr) = slot.as_mut() else { continue };
            let age = t - tr.last_update_t;
            let (_, p) = tr.state.combined();
            let sd_h = (0.5 * (p[(E, E)] + p[(N, N)])).max(0.0).sqrt();
            let dead = !tr.state.is_finite()
                || sd_h > life.max_sd_h_m
                || match tr.status {
                    Status::Tentative => {
                        if tr.reporters_only {
                            age > life.reporter_delete_after_s
                        } else if tr.support & SUPPORT_REACH != 0 && tr.support & SUPPORT_PLOT == 0
                        {
                            age > self.cfg.hearing.tentative_timeout_s
                        } else if tr.support & SUPPORT_PLOT != 0 {
                            // Only plots and fixes keep a located tentative track alive:
                            // a young track's uncertainty is wide enough for any passing
                            // bearing ray to fit it, and rays alone used to carry a
                            // one-plot ghost to confirmation over 40 s.
                            t - tr.last_fix_t > tentative_limit(&self.revisit, tr, t, &self.cfg)
                        } else {
                            age > life.tentative_bearing_timeout_s
                        }
                    }
                    _ => {
                        expired(tr, t, &self.revisit, &self.outages, &self.cfg)
                            && !(age <= self.cfg.hearing.hole_delete_after_s
                                && in_hole(tr, t, &self.listeners, &self.cfg))
                    }
                };
            if dead {
                self.doomed.push(s as u32);
                continue;
            }
            if tr.status == Status::Confirmed && age > life.coast_after_s {
                tr.status = Status::Coasting;
            }
            tr.reanchor(life.reanchor_m);
        }
        let doomed = std::mem::take(&mut self.doomed);
        for &s in &doomed {
            self.delete(s);
        }
        self.doomed = doomed;
        self.grid.clear();
        // Time since the last rebuild, for the acoustic silence clock (bounded: a gap in
        // the input is not time anyone listened).
        let dt = (t - self.grid_t).clamp(0.0, 2.0);
        let adsb_evidence = self.cfg.classify.adsb_quiet_tau_s > 0.0;
        let cc = &self.cfg.classify;
        let lanes_on = cc.lane_aircraft_factor > 1.0 && cc.lane_cell_deg > 0.0;
        for (s, slot) in self.tracks.iter_mut().enumerate() {
            if let Some(tr) = slot.as_mut() {
                tr.indexed_ecef = tr.ecef_at(t);
                self.grid.insert(&tr.indexed_ecef, s as u32);
                if lanes_on && dt > 0.0 {
                    // Cooperative aircraft heard within the last two seconds and flying
                    // (not taxiing, whose heading is noise) draw the lanes; the others
                    // are read against them.
                    // In the track's own tangent plane, re-anchored every 5 km: within
                    // a twentieth of a degree of the heading where it is.
                    let (x, _) = tr.state.combined();
                    let heading = x[VE].atan2(x[VN]);
                    if tr.icao.is_some() {
                        if t - tr.last_adsb_t <= 2.0 && x[VE].hypot(x[VN]) >= LANE_MIN_FLYING_M_S {
                            let g = ecef_to_geodetic(&tr.indexed_ecef);
                            if g.alt_m <= cc.lane_max_alt_m {
                                self.lanes.note(
                                    g.lat_deg,
                                    g.lon_deg,
                                    heading,
                                    dt,
                                    cc.lane_cell_deg,
                                );
                            }
                        }
                    } else {
                        let g = ecef_to_geodetic(&tr.indexed_ecef);
                        tr.lane_s =
                            self.lanes
                                .support(g.lat_deg, g.lon_deg, heading, cc.lane_cell_deg);
                    }
                }
                if dt > 0.0 && tr.icao.is_none() && self.listeners.covers(&tr.indexed_ecef, t) {
                    tr.quiet_s += dt;
                }
                if adsb_evidence
                    && dt > 0.0
                    && tr.icao.is_none()
                    && tr.last_adsb_t == f64::NEG_INFINITY
                {
                    // The lowest altitude the track plausibly flies at: a 2D radar's
                    // guessed altitude must not put it in a receiver's sight.
                    let alt = ecef_to_geodetic(&tr.indexed_ecef).alt_m - 2.0 * tr.sd_alt();
                    if self.receivers.cover(&tr.indexed_ecef, alt, t) {
                        tr.adsb_quiet_s += dt;
                    }
                }
            }
        }
        // Once a minute of stream time: forget acoustic nodes long silent.
        if (t / 60.0).floor() != (self.grid_t / 60.0).floor() {
            self.listeners.prune(t);
        }
        self.grid_t = t;
        self.merge(t);
        self.pool
            .prune(t - self.cfg.initiation.triangulation_window_s - self.cfg.gating.batch_window_s);
        self.heard
            .prune(t - self.cfg.hearing.window_s - self.cfg.gating.batch_window_s);
    }

    /// A cooperative track whose ADS-B fell silent while radar still plots it (low on
    /// approach, out of the receivers' line of sight) is the same aircraft without its
    /// identity: it keeps its track and its aircraft evidence, so its plots do not start
    /// a new track that looks like a drone for its first seconds. Unless another
    /// aircraft that still squitters is near: then the plots are that one's (a landed
    /// aircraft's track on the plots of the next one taking off), and it expires.
    fn keep_plotted_aircraft(&mut self, t: f64) {
        let w = self.cfg.life.cooperative_delete_after_s;
        for s in 0..self.tracks.len() {
            let Some(tr) = self.tracks[s].as_ref() else {
                continue;
            };
            let Some(icao) = tr.icao else { continue };
            if t - tr.last_adsb_t <= w || t - tr.last_update_t > w {
                continue;
            }
            let mut other = false;
            let tracks = &self.tracks;
            self.grid.query(
                &tr.indexed_ecef,
                self.cfg.life.merge_m.max(1000.0) * 3.0,
                |o| {
                    other |= o as usize != s
                        && tracks[o as usize]
                            .as_ref()
                            .is_some_and(|x| x.icao.is_some() && t - x.last_adsb_t <= w);
                },
            );
            if other {
                continue;
            }
            if let Some(tr) = self.tracks[s].as_mut() {
                tr.icao = None;
                tr.callsign = None;
                let h = &mut tr.hints[class_index(Class::Aircraft)];
                *h = (*h).max(2);
            }
            if self.by_icao.get(&icao) == Some(&(s as u32)) {
                self.by_icao.remove(&icao);
            }
        }
    }

    /// Deletes the weaker of two tracks that are statistically the same object.
    fn merge(&mut self, t: f64) {
        let life = self.cfg.life;
        self.doomed.clear();
        for a in 0..self.tracks.len() {
            let Some(ta) = self.tracks[a].as_ref() else {
                continue;
            };
            if self.doomed.contains(&(a as u32)) {
                continue;
            }
            self.cands.clear();
            let cands = &mut self.cands;
            self.grid.query(&ta.indexed_ecef, life.merge_m, |s| {
                if s as usize > a {
                    cands.push(s);
                }
            });
            if self.cands.is_empty() {
                continue;
            }
            let (xa, pa) = ta.state.predict_combined(&self.imm, t);
            for &b in &self.cands {
                let Some(tb) = self.tracks[b as usize].as_ref() else {
                    continue;
                };
                if (ta.icao.is_some() && tb.icao.is_some()) || self.doomed.contains(&b) {
                    continue;
                }
                let d =
                    ta.frame.ecef_to_enu(&tb.indexed_ecef) - ta.frame.ecef_to_enu(&ta.indexed_ecef);
                if d.xy().norm() > life.merge_m {
                    continue;
                }
                let (xb, pb) = tb.state.predict_combined(&self.imm, t);
                let dv = Vector3::new(xa[VE] - xb[VE], xa[VN] - xb[VN], 0.0).norm();
                if dv > life.merge_mps {
                    continue;
                }
                let s = pa.fixed_view::<2, 2>(0, 0) + pb.fixed_view::<2, 2>(0, 0);
                let Some(si) = s.try_inverse() else { continue };
                let dd = d.xy();
                if (dd.transpose() * si * dd)[(0, 0)] > 9.21 {
                    continue;
                }
                // Keep the cooperative one, else the shown one, else the older one.
                let rank = |t: &Track| {
                    (
                        t.icao.is_some(),
                        t.is_shown(),
                        t.hits.min(20),
                        u64::MAX - t.id,
                    )
                };
                let loser = if rank(ta) >= rank(tb) { b } else { a as u32 };
                self.doomed.push(loser);
                if loser == a as u32 {
                    break;
                }
            }
        }
        let doomed = std::mem::take(&mut self.doomed);
        for &s in &doomed {
            self.stats.tracks_merged += 1;
            self.delete(s);
        }
        self.doomed = doomed;
    }
}

/// Unit direction (ENU) of an azimuth and elevation, radians.
#[inline]
fn dir(az: f64, el: f64) -> Vector3<f64> {
    let (se, ce) = el.sin_cos();
    let (sa, ca) = az.sin_cos();
    Vector3::new(ce * sa, ce * ca, se)
}

/// ENU offset of (range, az, el) and its Jacobian with respect to them.
fn polar_to_enu(r: f64, az: f64, el: f64) -> (Vector3<f64>, Matrix3<f64>) {
    let (se, ce) = el.sin_cos();
    let (sa, ca) = az.sin_cos();
    let p = Vector3::new(r * ce * sa, r * ce * ca, r * se);
    let j = Matrix3::new(
        ce * sa,
        r * ce * ca,
        -r * se * sa,
        ce * ca,
        -r * ce * sa,
        -r * se * ca,
        se,
        0.0,
        r * ce,
    );
    (p, j)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chi2_quantiles_are_close_to_tables() {
        // Table values at 0.999: 10.83, 13.82, 16.27; at 0.99: 6.63, 9.21.
        for (p, k, want) in [
            (0.999, 1, 10.83),
            (0.999, 2, 13.82),
            (0.999, 3, 16.27),
            (0.99, 1, 6.63),
            (0.99, 2, 9.21),
        ] {
            let got = chi2_quantile(p, k);
            assert!(
                (got - want).abs() / want < 0.06,
                "p={p} k={k} got {got} want {want}"
            );
        }
    }

    #[test]
    fn polar_jacobian_matches_finite_differences() {
        let (r, a, e) = (5000.0, 1.0, 0.1);
        let (p0, j) = polar_to_enu(r, a, e);
        let h = [1e-3, 1e-7, 1e-7];
        for c in 0..3 {
            let mut v = [r, a, e];
            v[c] += h[c];
            let (p1, _) = polar_to_enu(v[0], v[1], v[2]);
            let col = (p1 - p0) / h[c];
            assert!(
                (col - j.column(c)).norm() < 1e-2 * (1.0 + j.column(c).norm()),
                "col {c}"
            );
        }
    }
}
