"""How far off the tracker's bearing-only track starts are: for each track whose first
snapshot sits at the prior altitude (1,199-1,202 m: no sensor measured its height) and
flies at 20 m/s or more, the nearest drone, decoy or aircraft at that second, the
position and velocity error, and the track's horizontal sigma; then the quartiles of
both errors. On a scenario without acoustic nodes (`west-radar`) these are all tracks
from phone reports alone (`skywatch-track::reporters`).

    python3 bench/reporter_starts.py RUN_DIR SCENARIO_DIR

Pure standard library; flat-earth distances (km) at the scenario's latitude."""
import collections
import json
import math
import sys

run, scen = sys.argv[1], sys.argv[2]
first = {}
for line in open(f"{run}/tracks.jsonl"):
    r = json.loads(line)
    first.setdefault(r["id"], r)
starts = {k: r for k, r in first.items()
          if 1199 < r["alt_m"] < 1202 and math.hypot(r["vn"], r["ve"]) >= 20}
need = {int(r["t"]) for r in starts.values()}
objects = collections.defaultdict(list)
for line in open(f"{scen}/truth.jsonl"):
    r = json.loads(line)
    if r["t"] == int(r["t"]) and int(r["t"]) in need and r["class"] in ("drone", "decoy", "aircraft"):
        objects[int(r["t"])].append(r)
pos_err, vel_err = [], []
for k, r in sorted(starts.items(), key=lambda x: x[1]["t"]):
    kx = 111.32 * math.cos(math.radians(r["lat"]))
    dist = lambda x: math.hypot((r["lat"] - x["lat"]) * 110.57, (r["lon"] - x["lon"]) * kx)
    best = min(objects[int(r["t"])], key=dist, default=None)
    if best is None:
        continue
    dv = math.hypot(r["vn"] - best["vn"], r["ve"] - best["ve"])
    pos_err.append(dist(best)); vel_err.append(dv)
    print(f"track {k:>6} t {r['t']:7.0f} {best['id']:>8} {best['class']:8s} "
          f"off {dist(best):5.1f} km, {dv:4.0f} m/s; sigma {r['cov_h_m']:5.0f} m")
for name, xs in (("position (km)", pos_err), ("velocity (m/s)", vel_err)):
    xs.sort()
    if xs:
        q = lambda f: xs[min(len(xs) - 1, int(f * len(xs)))]
        print(f"{len(xs)} starts, {name} error: quartiles {q(0.25):.1f} / {q(0.5):.1f} / "
              f"{q(0.75):.1f}, worst {xs[-1]:.1f}")
