#!/usr/bin/env python3
"""Test helper: derive a radar-only (or position-only) scenario from a scenario's truth.

    python bench/stonesoup/synth_radar.py SRC_SCENARIO DST_DIR [--kind radar|position]
        [--range-km 120] [--period 4.25] [--seed 1] [--pd 0.9] [--no-el]

Plots of every truth object within range of each radar in SRC (az clockwise from
north, el above the radar's local horizontal, from pymap3d.geodetic2aer, i.e. an
implementation independent of track.py), with the radar's sd_* noise, `rx = t + 0.3`,
labels written. Used to check track.py's radar geometry (bearing convention, wrap,
earth-curvature tilt) end to end with gospa.py.
"""
import argparse
import collections
import json
import os

import numpy as np
import pymap3d


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--kind", default="radar", choices=["radar", "position"])
    ap.add_argument("--range-km", type=float, default=120.0)
    ap.add_argument("--period", type=float, default=4.25)
    ap.add_argument("--pd", type=float, default=0.9)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-el", action="store_true", help="2D radar (no el_deg)")
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    sc = json.load(open(os.path.join(a.src, "scenario.json")))
    radars = [s for s in sc["sensors"] if s["kind"] == "radar"]
    truth = collections.defaultdict(list)
    for line in open(os.path.join(a.src, "truth.jsonl")):
        r = json.loads(line)
        truth[r["id"]].append(r)
    out = []
    for rd in radars:
        for oid, v in truth.items():
            ts = np.array([r["t"] for r in v])
            lat = np.array([r["lat"] for r in v])
            lon = np.array([r["lon"] for r in v])
            alt = np.array([r["alt_m"] for r in v])
            phase = rng.uniform(0, a.period)
            for t in np.arange(ts[0] + phase, ts[-1], a.period):
                if rng.uniform() > a.pd:
                    continue
                la, lo, al = np.interp(t, ts, lat), np.interp(t, ts, lon), np.interp(t, ts, alt)
                if a.kind == "position":
                    e, n, u = pymap3d.geodetic2enu(la, lo, al, la, lo, 0.0)
                    sd_h, sd_v = 50.0, 80.0
                    e2, n2 = rng.normal(0, sd_h, 2)
                    la2, lo2, al2 = pymap3d.enu2geodetic(e2, n2, rng.normal(0, sd_v), la, lo, al)
                    out.append({"t": round(float(t), 3), "rx": round(float(t) + 0.3, 3), "sensor": "FIX",
                                "kind": "position", "lat": float(la2), "lon": float(lo2), "alt_m": float(al2),
                                "sd_h_m": sd_h, "sd_v_m": sd_v, "_truth": oid})
                    continue
                az, el, sr = pymap3d.geodetic2aer(la, lo, al, rd["lat"], rd["lon"], rd["alt_m"])
                if sr > a.range_km * 1000.0:
                    continue
                rep = {"t": round(float(t), 3), "rx": round(float(t) + 0.3, 3), "sensor": rd["id"],
                       "kind": "radar",
                       "range_m": float(sr + rng.normal(0, rd["sd_range_m"])),
                       "az_deg": float((az + rng.normal(0, rd["sd_az_deg"])) % 360.0),
                       "sd_range_m": rd["sd_range_m"], "sd_az_deg": rd["sd_az_deg"], "_truth": oid}
                if not a.no_el:
                    rep["el_deg"] = float(el + rng.normal(0, rd["sd_el_deg"]))
                    rep["sd_el_deg"] = rd["sd_el_deg"]
                out.append(rep)
    out.sort(key=lambda r: (r["rx"], r["t"]))
    os.makedirs(a.dst, exist_ok=True)
    with open(os.path.join(a.dst, "reports.jsonl"), "w") as fr, open(os.path.join(a.dst, "labels.jsonl"), "w") as fl:
        for r in out:
            fl.write(json.dumps({"truth": r.pop("_truth")}) + "\n")
            fr.write(json.dumps(r) + "\n")
    sc["name"] = sc.get("name", "") + f"-synth-{a.kind}"
    json.dump(sc, open(os.path.join(a.dst, "scenario.json"), "w"))
    os.system(f"cp {os.path.join(a.src, 'truth.jsonl')} {a.dst}/")
    print(f"{len(out)} reports -> {a.dst}")


if __name__ == "__main__":
    main()
