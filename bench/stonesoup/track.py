#!/usr/bin/env python3
"""Stone Soup peer tracker over a `skywatch-scenario/1` directory.

    python bench/stonesoup/track.py SCENARIO_DIR --out RUN_DIR [--config cfg.json]

Writes RUN_DIR/tracks.jsonl (docs/scenario-v1.md "Outputs of a run") and
RUN_DIR/stonesoup-stats.json (counts and timings), and prints a summary.

The tracker is assembled from stock Stone Soup parts, tuned as a reasonable
practitioner would (see bench/README.md for the reasoning):

* state [x, vx, y, vy, z, vz] in a local ENU tangent plane about the scenario
  `centre` (else the mean fixed-sensor position), WGS84 via pymap3d;
* nearly-constant-velocity 3D motion (CombinedLinearGaussianTransitionModel of
  ConstantVelocity), EKF (ExtendedKalmanPredictor / ExtendedKalmanUpdater);
* radar plots: CartesianToElevationBearingRange (3D) or CartesianToBearingRange
  (2D radar) at the radar's ENU position; position fixes and ADS-B:
  LinearGaussian on position (ADS-B also on velocity when it carries one);
* DistanceHypothesiser + Mahalanobis, missed_distance = sqrt(chi2 gate);
  GNNWith2DAssignment; MultiMeasurementInitiator (min_points 3);
  UpdateTimeDeleter; MultiTargetTracker.
* bearing reports are IGNORED: Stone Soup has no bearing-only initiation.

Causality: reports are taken in rx order. At every whole second T the reports
with rx <= T have arrived; Stone Soup's trackers need time-ordered detections and
have no out-of-sequence handling, so arrived reports wait in a reorder buffer
and are fed in t order once t <= T - hold_s. A report whose t is older than the
tracker's time when it arrives is dropped and counted as late (Stone Soup's
OOSM limitation). Fed reports are grouped into scans: runs of consecutive
(t-ordered) reports of one sensor spanning at most scan_s; each detection keeps
its own timestamp (the hypothesiser predicts to it). Then confirmed tracks are
predicted to T and written.
"""

import argparse
import datetime as dt
import json
import math
import os
import sys
import time

import numpy as np
import pymap3d
from scipy.stats import chi2

from stonesoup.dataassociator.neighbour import GNNWith2DAssignment
from stonesoup.deleter.time import UpdateTimeDeleter
from stonesoup.hypothesiser.distance import DistanceHypothesiser
from stonesoup.initiator.simple import MultiMeasurementInitiator
from stonesoup.measures import Mahalanobis
from stonesoup.models.measurement.linear import LinearGaussian
from stonesoup.models.measurement.nonlinear import (
    CartesianToBearingRange, CartesianToElevationBearingRange)
from stonesoup.models.transition.linear import (
    CombinedLinearGaussianTransitionModel, ConstantVelocity)
from stonesoup.predictor.kalman import ExtendedKalmanPredictor
from stonesoup.tracker.simple import MultiTargetTracker
from stonesoup.types.angle import Bearing, Elevation
from stonesoup.types.array import CovarianceMatrix, StateVector, StateVectors
from stonesoup.types.detection import Detection
from stonesoup.types.state import GaussianState
from stonesoup.types.update import Update
from stonesoup.updater.kalman import ExtendedKalmanUpdater

FORMAT = "skywatch-scenario/1"

DEFAULTS = {
    # Process noise intensity (m^2/s^3) of the white-noise-acceleration model.
    # sqrt(q*T) is the 1-sigma velocity change over an interval T: with q_h = 3
    # it is 3.6 m/s over a 4.25 s radar revisit, so the 3-sigma gate follows a
    # 50 m/s drone pulling ~2.5 m/s^2 (a 3 deg/s turn) and a jet's gentle turns,
    # without letting straight-flying tracks wander in clutter.
    "q_h": 3.0,
    "q_v": 0.3,
    # Gate: probability of the chi-square gate on a 3-dof (position-like)
    # innovation; missed_distance = sqrt(chi2.ppf(gate_p, 3)).
    "gate_p": 0.9999,
    "gate_dof": 3,
    # Initiation.
    "min_points": 3,
    "prior_sd_vh": 150.0,   # unknown horizontal velocity at birth (m/s), covers jets
    "prior_sd_vv": 10.0,
    "prior_z_m": 0.0,       # only for 2D radars (height not measured)
    "prior_sd_z_m": 1500.0,
    # 2D radars: model the measured range as slant range (SlantBearingRange)
    # rather than Stone Soup's planar ground range (0: planar, the first version).
    "radar2d_slant": 1,
    "holding_delete_s": 10.0,   # tentative track dropped after this without update
    # Deletion of confirmed tracks (time since last update with a measurement).
    "delete_s": 15.0,
    # ADS-B (no sd on the wire): per-axis 1-sigma.
    "adsb_sd_h_m": 30.0,
    "adsb_sd_v_m": 20.0,
    "adsb_sd_vel_ms": 2.0,
    "adsb_use_velocity": True,
    # Position fixes without sd fields.
    "pos_default_sd_h_m": 50.0,
    "pos_default_sd_v_m": 50.0,
    # Coarse spatial pre-gate before Stone Soup's hypothesiser (speed only): a
    # track-detection pair is skipped when its horizontal distance exceeds what
    # the Mahalanobis gate could ever accept (isotropic bound, see PreGatedGNN).
    # It never changes which pairs pass the gate; 0 disables it.
    "pregate": 1,
    # Display filter (what an air-defence display hides; Skywatch hides tracks it
    # classifies as birds): a confirmed track slower than hide_slow_ms
    # horizontally and below hide_slow_below_m is tracked but not written.
    # Birds cruise at 10-20 m/s low down; one-way attack drones fly 40-60 m/s.
    # hide_slow_ms = 0 writes every confirmed track (the first version).
    "hide_slow_ms": 25.0,
    "hide_slow_below_m": 1500.0,
    # Time handling.
    "hold_s": 0.5,   # reorder buffer: feed reports once t <= T - hold_s
    "scan_s": 0.5,   # max time span of one scan
    # Scan grouping. "conflict": t-ordered windows of at most scan_s over all
    # sensors, a new scan started as soon as a detection could be of the same
    # object as one already in the scan (within conflict_sigma * sqrt(var_a + var_b)
    # + conflict_speed_ms * |dt| + conflict_margin_m horizontally), so that GNN
    # never sees two reports of one object in a scan. "sensor": runs of
    # consecutive reports of one sensor (the first version; many tiny scans when
    # sensors interleave, e.g. two ADS-B receivers hearing the same squitter).
    "scan_mode": "conflict",
    "conflict_sigma": 4.0,
    "conflict_speed_ms": 300.0,
    "conflict_margin_m": 500.0,
    # Speed-only replacements with identical output (see FastUpdateTimeDeleter,
    # FastMultiMeasurementInitiator); 0 uses the stock classes.
    "fast_history": 1,
}


def _fast_block_diag(*arrs):
    """Same result as scipy.linalg.block_diag for 2-D float inputs, without the
    array-API dispatch overhead of recent SciPy (~100 us a call on SciPy 1.17,
    which otherwise dominates Stone Soup's prediction cost)."""
    arrs = [np.atleast_2d(np.asarray(a)) for a in arrs]
    r = sum(a.shape[0] for a in arrs)
    c = sum(a.shape[1] for a in arrs)
    out = np.zeros((r, c), dtype=np.result_type(*arrs) if arrs else float)
    i = j = 0
    for a in arrs:
        out[i:i + a.shape[0], j:j + a.shape[1]] = a
        i += a.shape[0]
        j += a.shape[1]
    return out


def install_fast_block_diag():
    import stonesoup.models.transition.base as tb
    import stonesoup.models.transition.linear as tl
    tb.block_diag = _fast_block_diag
    tl.block_diag = _fast_block_diag


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Geometry

def ecef_from_enu_rot(lat_deg, lon_deg):
    """Columns are the local E, N, U unit vectors in ECEF."""
    la, lo = math.radians(lat_deg), math.radians(lon_deg)
    sla, cla, slo, clo = math.sin(la), math.cos(la), math.sin(lo), math.cos(lo)
    return np.array([[-slo, -sla * clo, cla * clo],
                     [clo, -sla * slo, cla * slo],
                     [0.0, cla, sla]])


class Frame:
    def __init__(self, lat, lon, alt):
        self.lat, self.lon, self.alt = lat, lon, alt
        self.R = ecef_from_enu_rot(lat, lon)

    def to_enu(self, lat, lon, alt):
        return pymap3d.geodetic2enu(lat, lon, alt, self.lat, self.lon, self.alt)

    def to_geo(self, e, n, u):
        return pymap3d.enu2geodetic(e, n, u, self.lat, self.lon, self.alt)

    def local_to_frame(self, lat, lon):
        """Rotation taking vectors in the local ENU axes at (lat, lon) to this frame's axes."""
        return self.R.T @ ecef_from_enu_rot(lat, lon)


class SlantBearingRange(CartesianToBearingRange):
    """A 2D (azimuth-range) radar: bearing and *slant* range to the target.

    Stone Soup's CartesianToBearingRange is planar (range = ground range). A 2D
    radar measures the slant range, which differs from the ground range by up
    to ~1 km for an airliner at 10 km altitude 50 km out (20 sigma of a 50 m
    range error), so the planar model cannot associate those plots with the
    track of an aircraft that ADS-B or a 3D radar put at its true height, and
    every such aircraft got a duplicate track. Same class, same bearing; the
    range uses the state's height (state index z_index, taken from the track,
    not measured). `mapping` stays (x, y) so that initiation
    (SimpleMeasurementInitiator) keeps the prior's height and its variance;
    the EKF Jacobian is numerical over the whole state, so height is coupled.
    inverse_function places the target at height `assumed_z`."""

    def __init__(self, *args, z_index=4, sensor_z=0.0, assumed_z=0.0, **kwargs):
        super().__init__(*args, **kwargs)
        self._z_index, self._sensor_z, self._assumed_z = z_index, sensor_z, assumed_z

    def _function(self, state, noise=False, **kwargs):
        if isinstance(noise, bool) or noise is None:
            noise = self.rvs(num_samples=state.state_vector.shape[1], **kwargs) if noise else 0
        sv = state.state_vector
        dx = np.asarray(sv[self.mapping[0], :] - self.translation_offset[0, 0], dtype=float)
        dy = np.asarray(sv[self.mapping[1], :] - self.translation_offset[1, 0], dtype=float)
        dz = np.asarray(sv[self._z_index, :] - self._sensor_z, dtype=float)
        phi = np.arctan2(dy, dx)
        rho = np.sqrt(dx * dx + dy * dy + dz * dz)
        return StateVectors([phi, rho]) + noise

    def inverse_function(self, detection, **kwargs):
        phi = np.asarray(detection.state_vector[0, :], dtype=float)
        rho = np.asarray(detection.state_vector[1, :], dtype=float)
        dz = self._assumed_z - self._sensor_z
        g = np.sqrt(np.maximum(rho * rho - dz * dz, 0.0))
        res = np.zeros((self.ndim_state, detection.state_vector.shape[1])).view(StateVector)
        res[self.mapping[0], :] = g * np.cos(phi) + self.translation_offset[0, 0]
        res[self.mapping[1], :] = g * np.sin(phi) + self.translation_offset[1, 0]
        return res


# ---------------------------------------------------------------------------
# Input

def read_scenario(sdir):
    with open(os.path.join(sdir, "scenario.json")) as f:
        sc = json.load(f)
    if sc.get("format") != FORMAT:
        raise SystemExit(f"{sdir}/scenario.json: unknown format {sc.get('format')!r}, want {FORMAT}")
    return sc


def read_reports(sdir, max_seconds=None, limit=None):
    out = []
    path = os.path.join(sdir, "reports.jsonl")
    with open(path) as f:
        for i, line in enumerate(f, 1):
            if limit is not None and len(out) >= limit:
                break
            line = line.strip()
            if not line:
                continue
            try:
                r = json.loads(line)
                t, rx = float(r["t"]), float(r["rx"])
                r["kind"]
            except (ValueError, KeyError) as e:
                raise SystemExit(f"{path}:{i}: bad report ({e})")
            if max_seconds is not None and rx > max_seconds:
                break
            out.append(r)
    return out


def frame_for(sc):
    c = sc.get("centre")
    if c:
        return Frame(float(c["lat"]), float(c["lon"]), float(c.get("alt_m", 0.0)))
    fixed = [s for s in sc.get("sensors", []) if "lat" in s]
    if not fixed:
        raise SystemExit("scenario has no centre and no fixed sensors")
    return Frame(float(np.mean([s["lat"] for s in fixed])), float(np.mean([s["lon"] for s in fixed])),
                 float(np.mean([s.get("alt_m", 0.0) for s in fixed])))


class DetectionFactory:
    """Turns v1 reports into Stone Soup detections in the ENU frame (None if unusable)."""

    def __init__(self, sc, frame, cfg, epoch):
        self.frame, self.cfg, self.epoch = frame, cfg, epoch
        self.sensors = {s["id"]: s for s in sc.get("sensors", [])}
        self.radar_geo = {}      # sensor id -> (enu position, rotation local->frame)
        self.models = {}
        self.counts = {"radar": 0, "radar2d": 0, "position": 0, "adsb": 0,
                       "bearing_ignored": 0, "unusable": 0}
        c = cfg
        self.adsb_R_pos = np.diag([c["adsb_sd_h_m"] ** 2] * 2 + [c["adsb_sd_v_m"] ** 2])

    def ts(self, t):
        return self.epoch + dt.timedelta(seconds=t)

    def _radar(self, sid):
        g = self.radar_geo.get(sid)
        if g is None:
            s = self.sensors.get(sid)
            if s is None or "lat" not in s:
                return None
            e, n, u = self.frame.to_enu(s["lat"], s["lon"], s.get("alt_m", 0.0))
            g = (np.array([e, n, u], dtype=float), self.frame.local_to_frame(s["lat"], s["lon"]))
            self.radar_geo[sid] = g
        return g

    def _model(self, key, make):
        m = self.models.get(key)
        if m is None:
            m = self.models[key] = make()
        return m

    def _meta_adsb(self, e, n):
        return {"kind": "adsb", "xy": (e, n),
                "var": max(self.cfg["adsb_sd_h_m"], self.cfg["adsb_sd_v_m"]) ** 2}

    def make(self, r):
        kind = r["kind"]
        t = float(r["t"])
        if kind == "radar":
            g = self._radar(r["sensor"])
            if g is None:
                self.counts["unusable"] += 1
                return None
            pos, rot = g
            az = math.radians(float(r["az_deg"]))
            rng = float(r["range_m"])
            sd_r = float(r.get("sd_range_m", self.sensors[r["sensor"]].get("sd_range_m", 30.0)))
            sd_az = math.radians(float(r.get("sd_az_deg", self.sensors[r["sensor"]].get("sd_az_deg", 1.0))))
            if r.get("el_deg") is not None:
                el = math.radians(float(r["el_deg"]))
                sd_el = math.radians(float(r.get("sd_el_deg", self.sensors[r["sensor"]].get("sd_el_deg", 1.0))))
                # Direction in the radar's own ENU axes (az clockwise from north),
                # re-expressed in the frame's axes (earth curvature tilts them).
                d = rot @ np.array([math.cos(el) * math.sin(az), math.cos(el) * math.cos(az), math.sin(el)])
                el_f = math.asin(max(-1.0, min(1.0, d[2])))
                # Stone Soup bearing: counter-clockwise from x (east).
                b_f = math.atan2(d[1], d[0])
                key = ("r3", r["sensor"], sd_r, sd_az, sd_el)
                mm = self._model(key, lambda: CartesianToElevationBearingRange(
                    ndim_state=6, mapping=(0, 2, 4),
                    noise_covar=np.diag([sd_el ** 2, sd_az ** 2, sd_r ** 2]),
                    translation_offset=StateVector(pos)))
                self.counts["radar"] += 1
                xyz = pos + rng * d
                var = max(sd_r, rng * sd_az, rng * sd_el) ** 2
                return Detection(StateVector([Elevation(el_f), Bearing(b_f), rng]),
                                 timestamp=self.ts(t), measurement_model=mm,
                                 metadata={"kind": "radar", "xy": (xyz[0], xyz[1]), "var": var})
            # 2D radar: bearing and range only (no elevation).
            d = rot @ np.array([math.sin(az), math.cos(az), 0.0])
            b_f = math.atan2(d[1], d[0])
            key = ("r2", r["sensor"], sd_r, sd_az)
            if self.cfg["radar2d_slant"]:
                mm = self._model(key, lambda: SlantBearingRange(
                    ndim_state=6, mapping=(0, 2),
                    noise_covar=np.diag([sd_az ** 2, sd_r ** 2]),
                    translation_offset=StateVector(pos[:2]), z_index=4,
                    sensor_z=float(pos[2]), assumed_z=self.cfg["prior_z_m"]))
            else:   # planar: slant range taken as ground range
                mm = self._model(key, lambda: CartesianToBearingRange(
                    ndim_state=6, mapping=(0, 2),
                    noise_covar=np.diag([sd_az ** 2, sd_r ** 2]),
                    translation_offset=StateVector(pos[:2])))
            self.counts["radar2d"] += 1
            xyz = pos + rng * d
            return Detection(StateVector([Bearing(b_f), rng]), timestamp=self.ts(t),
                             measurement_model=mm,
                             metadata={"kind": "radar", "xy": (xyz[0], xyz[1]),
                                       "var": max(sd_r, rng * sd_az) ** 2})
        if kind in ("position", "adsb"):
            e, n, u = self.frame.to_enu(float(r["lat"]), float(r["lon"]), float(r["alt_m"]))
            if kind == "adsb":
                self.counts["adsb"] += 1
                if self.cfg["adsb_use_velocity"] and r.get("vn") is not None and r.get("ve") is not None:
                    rot = self.frame.local_to_frame(float(r["lat"]), float(r["lon"]))
                    v = rot @ np.array([float(r["ve"]), float(r["vn"]), float(r.get("vu") or 0.0)])
                    sdv = self.cfg["adsb_sd_vel_ms"]
                    mm = self._model(("adsb6",), lambda: LinearGaussian(
                        ndim_state=6, mapping=(0, 1, 2, 3, 4, 5),
                        noise_covar=np.diag([self.cfg["adsb_sd_h_m"] ** 2, sdv ** 2,
                                             self.cfg["adsb_sd_h_m"] ** 2, sdv ** 2,
                                             self.cfg["adsb_sd_v_m"] ** 2, sdv ** 2])))
                    return Detection(StateVector([e, v[0], n, v[1], u, v[2]]), timestamp=self.ts(t),
                                     measurement_model=mm, metadata=self._meta_adsb(e, n))
                mm = self._model(("adsb3",), lambda: LinearGaussian(
                    ndim_state=6, mapping=(0, 2, 4), noise_covar=self.adsb_R_pos))
                return Detection(StateVector([e, n, u]), timestamp=self.ts(t),
                                 measurement_model=mm, metadata=self._meta_adsb(e, n))
            sd_h = float(r.get("sd_h_m") or self.cfg["pos_default_sd_h_m"])
            sd_v = float(r.get("sd_v_m") or self.cfg["pos_default_sd_v_m"])
            mm = self._model(("pos", sd_h, sd_v), lambda: LinearGaussian(
                ndim_state=6, mapping=(0, 2, 4), noise_covar=np.diag([sd_h ** 2, sd_h ** 2, sd_v ** 2])))
            self.counts["position"] += 1
            return Detection(StateVector([e, n, u]), timestamp=self.ts(t),
                             measurement_model=mm,
                             metadata={"kind": "position", "xy": (e, n), "var": max(sd_h, sd_v) ** 2})
        if kind == "bearing":
            self.counts["bearing_ignored"] += 1
        else:
            self.counts["unusable"] += 1
        return None


# ---------------------------------------------------------------------------
# Tracker

class PreGatedGNN(GNNWith2DAssignment):
    """GNNWith2DAssignment that hands the hypothesiser only the detections a track
    could possibly gate with. For a position-like innovation d^2 = x' S^-1 x >=
    |x|^2 / lambda_max(S) and lambda_max(S) <= trace(P_pos) + var_det, so a pair with
    horizontal distance > gate * sqrt(trace(P_pos) + var_det) (plus a margin for
    the time spread in a scan and linearisation, x1.2) cannot pass the gate.
    Detections carry metadata 'xy' (approximate ENU position) and 'var' (largest
    position-error variance of the report)."""

    def __init__(self, *args, gate=4.0, tm=None, scan_s=0.5, **kwargs):
        super().__init__(*args, **kwargs)
        self._gate, self._tm, self._scan_s = gate, tm, scan_s
        self.pairs_total = 0
        self.pairs_kept = 0

    def generate_hypotheses(self, tracks, detections, timestamp, **kwargs):
        if not tracks or not detections:
            return super().generate_hypotheses(tracks, detections, timestamp, **kwargs)
        dets = list(detections)
        XY = np.array([d.metadata["xy"] for d in dets])
        V = np.array([d.metadata["var"] for d in dets])
        out = {}
        for tr in tracks:
            st = tr.state
            dtt = (timestamp - st.timestamp).total_seconds()
            x = np.asarray(st.state_vector, dtype=float).ravel()
            P = np.asarray(st.covar, dtype=float)
            if dtt > 0:
                F = self._tm.matrix(time_interval=dt.timedelta(seconds=dtt))
                x = F @ x
                P = F @ P @ F.T + self._tm.covar(time_interval=dt.timedelta(seconds=dtt))
            trp = P[0, 0] + P[2, 2] + P[4, 4]
            speed = math.hypot(x[1], x[3])
            dist = np.hypot(XY[:, 0] - x[0], XY[:, 1] - x[2])
            lim = 1.2 * self._gate * np.sqrt(trp + V) + speed * self._scan_s + 3.0 * math.sqrt(
                P[1, 1] + P[3, 3]) * self._scan_s + 100.0
            keep = {dets[i] for i in np.nonzero(dist <= lim)[0]}
            self.pairs_total += len(dets)
            self.pairs_kept += len(keep)
            out[tr] = self.hypothesiser.hypothesise(tr, keep, timestamp, **kwargs)
        return out


class FastUpdateTimeDeleter(UpdateTimeDeleter):
    """UpdateTimeDeleter with the same decision, found by walking the track's
    states backwards from the newest and stopping at the first one older than the
    window. Stock check_for_deletion slices the whole history by time
    (track[t0:] visits every state through StateMutableSequence.__getitem__), and
    MultiTargetTracker appends a state to every track at every scan, so the stock
    cost grows with (scans x tracks x history): half the CPU time on the DMZ prefix.
    States of a track are in time order here (scans are fed in t order)."""

    def check_for_deletion(self, track, timestamp=None, **kwargs):
        if timestamp is None:
            timestamp = track.timestamp
        start = timestamp - self.time_since_update
        for state in reversed(track.states):
            if state.timestamp < start:
                break
            if isinstance(state, Update) and state.hypothesis:
                return False
        return True


class FastMultiMeasurementInitiator(MultiMeasurementInitiator):
    """MultiMeasurementInitiator.initiate (Stone Soup 1.9.1) with one change:
    the count of Update states in a holding track iterates the plain list
    track.states instead of the Track sequence (whose __iter__ goes through
    __getitem__ per element and was a quarter of the CPU time). Same result."""

    def initiate(self, detections, timestamp, **kwargs):
        sure_tracks = set()
        associated_detections = set()
        if self.holding_tracks:
            associations = self.data_associator.associate(
                self.holding_tracks, detections, timestamp)
            for track, hypothesis in associations.items():
                if hypothesis:
                    state_post = self.updater.update(hypothesis)
                    track.append(state_post)
                    associated_detections.add(hypothesis.measurement)
                else:
                    track.append(hypothesis.prediction)
                if sum(1 for state in track.states
                       if not self.updates_only or isinstance(state, Update)) >= self.min_points:
                    sure_tracks.add(track)
                    self.holding_tracks.remove(track)
            self.holding_tracks -= self.deleter.delete_tracks(self.holding_tracks)
        self.holding_tracks |= self.initiator.initiate(
            detections - associated_detections, timestamp)
        return sure_tracks


def build_tracker(cfg, epoch):
    tm = CombinedLinearGaussianTransitionModel([
        ConstantVelocity(cfg["q_h"]), ConstantVelocity(cfg["q_h"]), ConstantVelocity(cfg["q_v"])])
    predictor = ExtendedKalmanPredictor(tm)
    updater = ExtendedKalmanUpdater(measurement_model=None)
    missed = math.sqrt(chi2.ppf(cfg["gate_p"], cfg["gate_dof"]))
    hyp = DistanceHypothesiser(predictor, updater, measure=Mahalanobis(), missed_distance=missed)
    if cfg["pregate"]:
        assoc = PreGatedGNN(hyp, gate=missed, tm=tm, scan_s=cfg["scan_s"])
    else:
        assoc = GNNWith2DAssignment(hyp)
    big = 1e6
    prior = GaussianState(
        StateVector([0.0, 0.0, 0.0, 0.0, cfg["prior_z_m"], 0.0]),
        CovarianceMatrix(np.diag([big, cfg["prior_sd_vh"] ** 2, big, cfg["prior_sd_vh"] ** 2,
                                  cfg["prior_sd_z_m"] ** 2, cfg["prior_sd_vv"] ** 2])),
        timestamp=epoch)
    Deleter = FastUpdateTimeDeleter if cfg["fast_history"] else UpdateTimeDeleter
    Initiator = FastMultiMeasurementInitiator if cfg["fast_history"] else MultiMeasurementInitiator
    initiator = Initiator(
        prior_state=prior,
        deleter=Deleter(dt.timedelta(seconds=cfg["holding_delete_s"])),
        data_associator=assoc, updater=updater, measurement_model=None,
        min_points=cfg["min_points"])
    deleter = Deleter(dt.timedelta(seconds=cfg["delete_s"]))
    tracker = MultiTargetTracker(initiator=initiator, deleter=deleter, detector=None,
                                 data_associator=assoc, updater=updater)
    return tracker, tm, missed, assoc


def make_scans(dets, scan_s):
    """dets: list of (t, sensor, Detection) sorted by t -> list of (time, set).
    Runs of consecutive reports of one sensor spanning at most scan_s."""
    scans = []
    cur, cur_sensor, t0, tmax = [], None, None, None
    for t, sensor, d in dets:
        if cur and (sensor != cur_sensor or t - t0 > scan_s):
            scans.append((tmax, set(cur)))
            cur = []
        if not cur:
            cur_sensor, t0 = sensor, t
        cur.append(d)
        tmax = t
    if cur:
        scans.append((tmax, set(cur)))
    return scans


def make_scans_conflict(dets, cfg):
    """dets: list of (t, sensor, Detection) sorted by t -> list of (time, set).
    Windows of at most scan_s in t over all sensors, closed early when the next
    detection could be of the same object as one already in the window (no
    identity used: horizontal distance against the reports' error and a speed
    bound). Scans stay in t order, so no track is ever predicted backwards."""
    scan_s, ks = cfg["scan_s"], cfg["conflict_sigma"]
    vmax, margin = cfg["conflict_speed_ms"], cfg["conflict_margin_m"]
    scans = []
    cur, t0, tmax = [], None, None
    xs, ys, vs, ts = [], [], [], []
    for t, sensor, d in dets:
        x, y = d.metadata["xy"]
        v = d.metadata["var"]
        if cur:
            split = t - t0 > scan_s
            if not split:
                for xi, yi, vi, ti in zip(xs, ys, vs, ts):
                    lim = ks * math.sqrt(v + vi) + vmax * (t - ti) + margin
                    dx, dy = x - xi, y - yi
                    if dx * dx + dy * dy <= lim * lim:
                        split = True
                        break
            if split:
                scans.append((tmax, set(cur)))
                cur, xs, ys, vs, ts = [], [], [], [], []
        if not cur:
            t0 = t
        cur.append(d)
        xs.append(x)
        ys.append(y)
        vs.append(v)
        ts.append(t)
        tmax = t
    if cur:
        scans.append((tmax, set(cur)))
    return scans


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario")
    ap.add_argument("--out", required=True)
    ap.add_argument("--config", help="JSON object overriding defaults: " + ", ".join(DEFAULTS))
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="override one config value (repeatable)")
    ap.add_argument("--max-seconds", type=float, help="only reports with rx <= this; output up to it")
    ap.add_argument("--limit-reports", type=int, help="only the first N reports (rx order)")
    ap.add_argument("--stock-scipy", action="store_true",
                    help="do not replace scipy.linalg.block_diag in Stone Soup's transition "
                         "models by an equivalent lean numpy version (slower)")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)

    cfg = dict(DEFAULTS)
    if a.config:
        with open(a.config) as f:
            cfg.update(json.load(f))
    for kv in a.set:
        k, _, v = kv.partition("=")
        if k not in DEFAULTS:
            raise SystemExit(f"unknown config key {k}")
        if isinstance(DEFAULTS[k], bool):
            cfg[k] = v.lower() in ("1", "true", "yes")
        elif isinstance(DEFAULTS[k], str):
            cfg[k] = v
        else:
            cfg[k] = type(DEFAULTS[k])(json.loads(v))
    unknown = set(cfg) - set(DEFAULTS)
    if unknown:
        raise SystemExit(f"unknown config keys {sorted(unknown)}")

    if not a.stock_scipy:
        install_fast_block_diag()
    w0 = time.perf_counter()
    sc = read_scenario(a.scenario)
    duration = float(sc.get("duration_s", 0.0))
    if a.max_seconds is not None:
        duration = min(duration, a.max_seconds) if duration else a.max_seconds
    reports = read_reports(a.scenario, a.max_seconds, a.limit_reports)
    if a.limit_reports is not None and reports and a.max_seconds is None:
        duration = min(duration, math.floor(reports[-1]["rx"]))
    epoch = dt.datetime(2000, 1, 1)  # any origin: only differences matter
    frame = frame_for(sc)
    fac = DetectionFactory(sc, frame, cfg, epoch)
    # (rx, t, sensor, detection) for usable reports, in rx (file) order.
    items = []
    for r in reports:
        d = fac.make(r)
        if d is not None:
            items.append((float(r["rx"]), float(r["t"]), r["sensor"], d))
    w1 = time.perf_counter()
    c1 = time.process_time()

    tracker, tm, missed, assoc = build_tracker(cfg, epoch)
    os.makedirs(a.out, exist_ok=True)
    out_path = os.path.join(a.out, "tracks.jsonl")
    ids = {}
    n_lines = 0
    late = 0
    fed = 0
    n_scans = 0
    hidden = 0
    sum_holding = sum_tracks = max_holding = max_tracks = max_scan = 0
    tracker_time = -math.inf
    buffer = []  # arrived, not yet fed: (t, seq, sensor, det)
    i = 0
    seq = 0
    last_T = int(math.floor(duration))
    lines = []
    per_second = []
    for T in range(0, last_T + 1):
        # Arrivals with rx <= T.
        while i < len(items) and items[i][0] <= T:
            rx, t, sensor, d = items[i]
            i += 1
            if t < tracker_time:
                late += 1
                continue
            buffer.append((t, seq, sensor, d))
            seq += 1
        # Feed, in t order, what is older than the reorder hold.
        cutoff = T - cfg["hold_s"] if T < last_T else math.inf
        buffer.sort(key=lambda x: (x[0], x[1]))
        k = 0
        while k < len(buffer) and buffer[k][0] <= cutoff:
            k += 1
        batch, buffer = buffer[:k], buffer[k:]
        fed_dets = [(b[0], b[2], b[3]) for b in batch]
        if cfg["scan_mode"] == "conflict":
            scans = make_scans_conflict(fed_dets, cfg)
        else:
            scans = make_scans(fed_dets, cfg["scan_s"])
        for stime, dset in scans:
            tracker.update_tracker(epoch + dt.timedelta(seconds=stime), dset)
            tracker_time = max(tracker_time, stime)
            n_scans += 1
            nh = len(tracker.initiator.holding_tracks)
            nt = len(tracker.tracks)
            sum_holding += nh
            sum_tracks += nt
            max_holding = max(max_holding, nh)
            max_tracks = max(max_tracks, nt)
            max_scan = max(max_scan, len(dset))
        fed += len(batch)
        # Output confirmed tracks predicted to T.
        tT = epoch + dt.timedelta(seconds=T)
        n_here = 0
        # Deterministic order (sets of Tracks iterate by hash): birth time, then position.
        for tr in sorted(tracker.tracks, key=lambda tr: (tr.states[0].timestamp,
                                                         float(tr.states[0].state_vector[0, 0]),
                                                         float(tr.states[0].state_vector[2, 0]))):
            st = tr.state
            dtt = (tT - st.timestamp).total_seconds()
            if dtt > 0:
                F = tm.matrix(time_interval=dt.timedelta(seconds=dtt))
                x = F @ st.state_vector
                P = F @ st.covar @ F.T + tm.covar(time_interval=dt.timedelta(seconds=dtt))
            else:
                x, P = st.state_vector, st.covar
            x = np.asarray(x, dtype=float).ravel()
            if (cfg["hide_slow_ms"] > 0 and math.hypot(x[1], x[3]) < cfg["hide_slow_ms"]
                    and x[4] < cfg["hide_slow_below_m"]):
                hidden += 1
                continue
            sid = ids.get(tr.id)
            if sid is None:
                sid = ids[tr.id] = f"SS{len(ids) + 1:05d}"
            lines.append((T, sid, x, float(math.sqrt(max(0.0, (P[0, 0] + P[2, 2]) / 2.0)))))
            n_here += 1
        per_second.append(n_here)
    w2 = time.perf_counter()
    c2 = time.process_time()

    # Back to WGS84 (vectorised) and write.
    with open(out_path, "w") as f:
        if lines:
            X = np.array([ln[2] for ln in lines])
            lat, lon, alt = frame.to_geo(X[:, 0], X[:, 2], X[:, 4])
            for j, (T, sid, x, ch) in enumerate(lines):
                rot = frame.local_to_frame(float(lat[j]), float(lon[j])).T
                v = rot @ np.array([x[1], x[3], x[5]])
                f.write(json.dumps({"t": float(T), "id": sid, "lat": round(float(lat[j]), 7),
                                    "lon": round(float(lon[j]), 7), "alt_m": round(float(alt[j]), 1),
                                    "vn": round(float(v[1]), 2), "ve": round(float(v[0]), 2),
                                    "vu": round(float(v[2]), 2), "cov_h_m": round(ch, 1)}) + "\n")
                n_lines += 1
    w3 = time.perf_counter()

    n_rep = len(reports)
    stats = {
        "tool": "stonesoup", "stonesoup_version": __import__("stonesoup").__version__,
        "scenario": os.path.abspath(a.scenario), "config": cfg,
        "fast_block_diag": not a.stock_scipy,
        "missed_distance": missed,
        "reports_read": n_rep, "reports_usable": len(items), "counts": fac.counts,
        "pregate_pairs_kept": getattr(assoc, "pairs_kept", None),
        "pregate_pairs_total": getattr(assoc, "pairs_total", None),
        "reports_fed": fed, "reports_late_dropped": late, "scans": n_scans,
        "detections_per_scan": fed / n_scans if n_scans else None, "max_scan_size": max_scan,
        "mean_tentative_tracks_per_scan": sum_holding / n_scans if n_scans else None,
        "max_tentative_tracks": max_holding,
        "mean_tracks_per_scan": sum_tracks / n_scans if n_scans else None,
        "max_tracks": max_tracks,
        "seconds_output": last_T + 1, "track_lines_hidden_slow": hidden, "track_lines": n_lines, "tracks_confirmed_ever": len(ids),
        "mean_tracks_per_second": float(np.mean(per_second)) if per_second else 0.0,
        "wall_parse_s": w1 - w0, "wall_track_s": w2 - w1, "wall_write_s": w3 - w2,
        "wall_total_s": w3 - w0, "cpu_track_s": c2 - c1,
        "reports_per_s_tracking": n_rep / (w2 - w1) if w2 > w1 else None,
        "reports_per_s_total": n_rep / (w3 - w0) if w3 > w0 else None,
        "reports_per_cpu_s_tracking": n_rep / (c2 - c1) if c2 > c1 else None,
    }
    with open(os.path.join(a.out, "stonesoup-stats.json"), "w") as f:
        json.dump(stats, f, indent=1)
    if not a.quiet:
        c = fac.counts
        print(f"stonesoup {stats['stonesoup_version']}: {n_rep} reports read "
              f"(radar {c['radar']}, radar2d {c['radar2d']}, position {c['position']}, adsb {c['adsb']}; "
              f"bearing IGNORED {c['bearing_ignored']} - Stone Soup has no bearing-only initiation; "
              f"unusable {c['unusable']})")
        print(f"  fed {fed} in {n_scans} scans ({stats['detections_per_scan'] or 0:.2f} per scan, max {max_scan}); "
              f"dropped as late (t older than tracker time, no OOSM): {late}")
        print(f"  per scan: {stats['mean_tracks_per_scan'] or 0:.1f} tracks (max {max_tracks}), "
              f"{stats['mean_tentative_tracks_per_scan'] or 0:.1f} tentative (max {max_holding})")
        print(f"  {len(ids)} confirmed tracks written, {n_lines} lines over {last_T + 1} s "
              f"({hidden} lines of slow low tracks hidden), "
              f"mean {stats['mean_tracks_per_second']:.2f} tracks/s")
        print(f"  wall: parse {w1 - w0:.3f} s, tracking {w2 - w1:.3f} s (CPU {c2 - c1:.3f} s), "
              f"write {w3 - w2:.3f} s, total {w3 - w0:.3f} s")
        print(f"  throughput: {stats['reports_per_s_tracking']:.0f} reports/s (tracking only), "
              f"{stats['reports_per_s_total']:.0f} reports/s (incl. parse+write); "
              f"{stats['reports_per_cpu_s_tracking']:.0f} reports per CPU-second (tracking)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
