//! Tracking engine: multi-sensor multi-target fusion. Pure: no IO, no clock,
//! deterministic.
//!
//! # Shape
//!
//! [`Engine::ingest`] takes reports in arrival order; [`Engine::tracks_at`] and
//! [`Engine::snapshots_at`] give the confirmed tracks predicted to a time. Inside, the
//! verbs of Stone Soup's trackers, each in its own module:
//!
//! - *prepare* ([`prepare`]): validate, reject and count bad input, resolve geometry once;
//! - *predict* ([`motion`], [`imm`]): nearly-constant velocity and coordinated turn,
//!   mixed by an IMM, per-track local ENU frame re-anchored as the track moves;
//! - *update* ([`measure`]): EKF or UKF ([`FilterKind`]) for radar (3D and 2D), bearings
//!   (fixed or mobile reporter), position fixes and ADS-B; measurements older than the
//!   track are applied by retrodiction (out-of-sequence update, no history kept);
//! - *hypothesise* ([`index`], engine): chi-square gates over candidates found in a
//!   spatial hash of predicted track positions, so cost follows local density;
//! - *associate* (engine, [`jpda`]): on independent clusters of one sensor's batch of
//!   reports, either global nearest neighbour (optimal assignment, `skywatch-assign`)
//!   or JPDA ([`AssociationMethod`]);
//! - *initiate* (engine, [`triangulate`]): tentative tracks from unexplained plots and
//!   fixes, confirmed by score (M-of-N in effect); bearing-only initiation by
//!   triangulating three or more independent sensors, with ghost suppression;
//!   ADS-B starts confirmed, cooperative tracks; a node that declares how far it hears
//!   locates what it hears to a segment of its ray, so agreeing bearings of one node
//!   start a track too, and its bearings keep a track that only bearings locate within
//!   its reach ([`hearing`]);
//! - *delete* (engine): timeouts by status, covariance limit, merging of duplicates;
//!   radar tracks' timeouts follow each radar's gaps between plots at their range,
//!   learned from the tracks it follows ([`revisit`]);
//! - *classify* ([`Track::classify`], [`listen`]): drone / aircraft / bird / unknown from
//!   identity, kinematics, reporters' hints and acoustic evidence (heard, or long silent
//!   near working acoustic nodes; long unheard by ADS-B receivers that would hear a
//!   cooperative aircraft there, [`squitter`]).
//!
//! Why a macro and enums rather than `dyn` components: the measurement dimension is a
//! const generic, so each sensor kind's update is a fixed-size, allocation-free,
//! inlined path; the traits ([`motion::MotionModel`], [`measure::MeasurementModel`])
//! keep the components separable and testable.

pub mod clutter;
mod config;
mod engine;
mod error;
pub mod hearing;
pub mod imm;
pub mod index;
pub mod jpda;
pub mod lanes;
pub mod listen;
pub mod measure;
pub mod motion;
pub mod outage;
pub mod prepare;
pub mod reporters;
pub mod revisit;
pub mod squitter;
mod track;
pub mod triangulate;

pub use config::{
    AssociationConfig, AssociationMethod, ClassifyConfig, EngineConfig, GatingConfig,
    HearingConfig, InitiationConfig, JpdaConfig, JpdaFallback, LifeConfig, ReporterConfig,
    SensorNoiseConfig,
};
pub use engine::{Engine, Frame, TrackDebug};
pub use error::{Rejection, Stats};
pub use measure::FilterKind;
pub use track::{Status, Track};
