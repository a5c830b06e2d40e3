"""What kind of miss each false `on` interval of a run is (the format spec's precision:
no drone or decoy inside during it or within 120 s after), judged by the drone or decoy
that comes nearest the area in the 300 s from the interval's start:

- open at run end: still on at the end, started in the last 400 s of the run;
- far: no drone comes within 5 km (a false track, or one far off its drone);
- ended short: the nearest drone's flight ends (impact) within 400 s of the start;
- near miss: it passes within 1 km;
- passed or turned: it passes 1-5 km off.

For each, also: that drone's distance at the start, whether its straight line (its
velocity over the next 10 s, held) would have entered the area within 300 s and when,
and its closest approach over the next 600 s. Ends with the count per kind.

    python3 bench/warn/false_kinds.py SCENARIO_DIR RUN_DIR

Pure standard library (1 Hz truth samples)."""
import collections
import json
import math
import sys

from areageo import dist_km, inside, load_areas, on_intervals

scen, run = sys.argv[1], sys.argv[2]
areas = load_areas(scen)
duration = json.load(open(f"{scen}/scenario.json"))["duration_s"]
truth = collections.defaultdict(dict)
for line in open(f"{scen}/truth.jsonl"):
    r = json.loads(line)
    if r["class"] in ("drone", "decoy") and r["t"] == int(r["t"]):
        truth[r["id"]][int(r["t"])] = (r["lon"], r["lat"])
ints = on_intervals(run)


def straight_entry(polys, tr, t0):
    """Seconds until the drone's straight line from t0 enters the area, within 300 s."""
    if t0 not in tr:
        return None
    lon, lat = tr[t0]
    lon2, lat2 = tr.get(t0 + 10, tr[t0])
    for k in range(0, 301, 2):
        if inside(polys, lon + (lon2 - lon) * k / 10, lat + (lat2 - lat) * k / 10):
            return k
    return None


kinds = collections.Counter()
for area, s, e in sorted(ints, key=lambda x: x[1]):
    polys = areas[area]
    end = duration if e is None else e
    if any(t in tr and inside(polys, *tr[t]) for t in range(int(s), int(end) + 121)
           for tr in truth.values()):
        kinds["true"] += 1
        continue
    t0 = int(s)
    near = None
    for i, tr in truth.items():
        ds = [dist_km(polys, *tr[t]) for t in range(t0, t0 + 301, 5) if t in tr]
        if ds and (near is None or min(ds) < near[0]):
            near = (min(ds), i)
    if near is None:
        kinds["no drone flying"] += 1
        print(f"{area:>6} {s:7.0f} no drone flying")
        continue
    dmin, who = near
    tr = truth[who]
    if e is None and duration - s < 400:
        kind = "open at run end"
    elif dmin > 5:
        kind = "far"
    elif max(tr) < min(t0 + 400, duration - 5):
        kind = "ended short"
    elif dmin < 1:
        kind = "near miss"
    else:
        kind = "passed or turned"
    kinds[kind] += 1
    d0 = dist_km(polys, *tr[t0]) if t0 in tr else math.nan
    closest = min(((dist_km(polys, *tr[t]), t - t0) for t in range(t0, t0 + 600) if t in tr),
                  default=(math.nan, None))
    print(f"{area:>6} {s:7.0f} {kind:17s} {who:>8} at {d0:5.1f} km; straight line "
          f"enters in {straight_entry(polys, tr, t0)} s; closest {closest[0]:4.1f} km "
          f"at +{closest[1]} s")
print(dict(kinds))
