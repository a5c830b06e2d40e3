#!/usr/bin/env python3
"""Independent Python GOSPA scorer (tracking part of docs/scenario-v1.md "Scoring").

    python bench/stonesoup/gospa.py SCENARIO_DIR RUN_DIR [--json]

A cross-check of `skywatch score` and a fallback for bench/compare.py when the
Rust scorer is missing. p = 2, alpha = 2, c = 1000 m, horizontal ENU about
`centre` (else the mean truth position), every whole second 0..duration_s; the
truth set at T is drone/decoy/aircraft objects with a labelled report with
T-60 <= t <= T and rx <= T (every present object when labels.jsonl is absent).
Warning figures are not computed here.
"""
import argparse
import bisect
import collections
import json
import math
import os
import sys

import numpy as np
import pymap3d
from scipy.optimize import linear_sum_assignment

C = 1000.0
CLASSES = {"drone", "decoy", "aircraft"}


def jsonl(path):
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                yield json.loads(line)


def stonesoup_gospa(X, Y):
    """GOSPA of one step by Stone Soup's own GOSPAMetric (alpha = 2), for cross-checking."""
    import datetime
    from stonesoup.measures import Euclidean
    from stonesoup.metricgenerator.ospametric import GOSPAMetric
    from stonesoup.types.state import State
    if not X and not Y:
        return 0.0
    ts = datetime.datetime(2000, 1, 1)
    m = GOSPAMetric(c=C, p=2, measure=Euclidean(mapping=(0, 1)))
    g, _ = m.compute_gospa_metric([State([x, y], timestamp=ts) for x, y in Y],
                                  [State([x, y], timestamp=ts) for x, y in X])
    return g.value["distance"]


def score(sdir, rdir, check=False):
    sc = json.load(open(os.path.join(sdir, "scenario.json")))
    duration = float(sc.get("duration_s", 0.0))
    truth = collections.defaultdict(list)  # id -> [(t, lat, lon, alt)]
    for r in jsonl(os.path.join(sdir, "truth.jsonl")):
        if r.get("class") in CLASSES:
            truth[r["id"]].append((float(r["t"]), r["lat"], r["lon"], r.get("alt_m", 0.0)))
    c = sc.get("centre")
    if c:
        lat0, lon0, h0 = c["lat"], c["lon"], c.get("alt_m", 0.0)
    else:
        allp = np.array([p[1:] for v in truth.values() for p in v])
        lat0, lon0, h0 = allp[:, 0].mean(), allp[:, 1].mean(), allp[:, 2].mean()

    # Truth ENU tracks, for interpolation at whole seconds.
    tr_enu = {}
    for oid, v in truth.items():
        v.sort()
        a = np.array(v)
        e, n, _ = pymap3d.geodetic2enu(a[:, 1], a[:, 2], a[:, 3], lat0, lon0, h0)
        tr_enu[oid] = (a[:, 0], np.asarray(e), np.asarray(n))

    # Observation times per object: (t, rx) of labelled reports.
    lab_path = os.path.join(sdir, "labels.jsonl")
    obs = None
    if os.path.exists(lab_path):
        obs = collections.defaultdict(list)
        for rep, lab in zip(jsonl(os.path.join(sdir, "reports.jsonl")), jsonl(lab_path)):
            oid = lab.get("truth")
            if oid in tr_enu:
                obs[oid].append((float(rep["t"]), float(rep["rx"])))

    def observed(oid, T):
        if obs is None:
            return True
        return any(T - 60.0 <= t <= T and rx <= T for t, rx in obs.get(oid, ()))

    est = collections.defaultdict(list)
    for r in jsonl(os.path.join(rdir, "tracks.jsonl")):
        est[round(float(r["t"]))].append(r)

    steps = int(math.floor(duration)) + 1
    g_sum = l_sum = m_sum = f_sum = 0.0
    d2_all = []
    ids = collections.defaultdict(list)
    max_diff = 0.0
    for T in range(steps):
        X = []
        names = []
        for oid, (ts, e, n) in tr_enu.items():
            if ts[0] - 1e-9 <= T <= ts[-1] + 1e-9 and observed(oid, T):
                X.append((np.interp(T, ts, e), np.interp(T, ts, n)))
                names.append(oid)
        Y = []
        yid = []
        lines = est.get(T, [])
        if lines:
            la = np.array([[l["lat"], l["lon"], l.get("alt_m", 0.0)] for l in lines])
            e, n, _ = pymap3d.geodetic2enu(la[:, 0], la[:, 1], la[:, 2], lat0, lon0, h0)
            Y = list(zip(np.atleast_1d(e), np.atleast_1d(n)))
            yid = [l["id"] for l in lines]
        L = 0.0
        assigned = 0
        if X and Y:
            Xa, Ya = np.array(X), np.array(Y)
            D2 = ((Xa[:, None, :] - Ya[None, :, :]) ** 2).sum(-1)
            cost = np.minimum(D2, C * C)
            ri, ci = linear_sum_assignment(cost)
            for i, j in zip(ri, ci):
                if D2[i, j] < C * C:
                    L += D2[i, j]
                    d2_all.append(D2[i, j])
                    assigned += 1
                    ids[names[i]].append(yid[j])
        missed = len(X) - assigned
        false = len(Y) - assigned
        g = math.sqrt(L + C * C / 2.0 * (missed + false))
        g_sum += g
        if check:
            max_diff = max(max_diff, abs(g - stonesoup_gospa(X, Y)))
        l_sum += L
        m_sum += missed
        f_sum += false
    switches = sum(sum(1 for a, b in zip(v, v[1:]) if a != b) for v in ids.values())
    extra = {"max_abs_diff_vs_stonesoup_GOSPAMetric_m": max_diff} if check else {}
    return {
        **extra,
        "scorer": "bench/stonesoup/gospa.py",
        "steps": steps,
        "mean_gospa_m": g_sum / steps,
        "mean_missed": m_sum / steps,
        "mean_false": f_sum / steps,
        "rms_assigned_m": math.sqrt(np.mean(d2_all)) if d2_all else None,
        "mean_loc_sq": l_sum / steps,
        "mean_missed_sq": m_sum / steps * C * C / 2.0,
        "mean_false_sq": f_sum / steps * C * C / 2.0,
        "id_switches": switches,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario")
    ap.add_argument("run")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--check-stonesoup", action="store_true",
                    help="also compute every step with Stone Soup's GOSPAMetric and report the largest difference")
    a = ap.parse_args()
    res = score(a.scenario, a.run, check=a.check_stonesoup)
    if a.json:
        print(json.dumps(res))
    else:
        for k, v in res.items():
            print(f"{k}: {v}")


if __name__ == "__main__":
    sys.exit(main())
