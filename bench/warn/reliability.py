"""Do the warning engine's entry probabilities mean what they say? A reliability table of
`forecasts.jsonl` (`skywatch replay --forecasts`) against what the drones then did.

For every forecast line of a track the tracker reported at that second (coasting ones
are counted apart) that follows a drone or decoy (the truth object within 1 km of the
track's position in `tracks.jsonl`), and every window W of 60, 120, 180 and 300 s: the
forecast probability of entering the area within W (without the track's threat
probability: given that it is the drone it follows) and whether that drone's 1 Hz truth
was inside the area at some second in (t, t + W]. An area the drone entered in that time
with no forecast line counts as a forecast of 0. Forecasts of areas the drone is inside
at t are left out (the engine leaves out those the track is inside).

Prints, per window, the forecasts binned by probability: count, mean forecast, share
that came true; then the Brier score, and the same of a forecast that knew only the
share that came true overall (its skill: 1 - Brier / that), all over areas with a
forecast above 0 or an entry. Calibrated forecasts have each bin's share near its mean.

    python3 bench/warn/reliability.py SCENARIO_DIR RUN_DIR [SCENARIO_DIR RUN_DIR ...]

Pairs of a scenario and a run of it add up (e.g. several seeds). Pure standard library.
"""
import collections
import json
import sys

from areageo import inside, load_areas, nearest_object

WINDOWS = [60, 120, 180, 300]  # skywatch_warn::FORECAST_WINDOWS_S
BINS = [0.0, 0.02, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0 + 1e-9]
args = sys.argv[1:]
if not args or len(args) % 2:
    sys.exit(__doc__)

# window -> bin -> [count, sum of forecasts, came true]; window -> [brier sum, n, true]
table = {w: [[0, 0.0, 0] for _ in BINS[:-1]] for w in WINDOWS}
brier = {w: [0.0, 0, 0] for w in WINDOWS}
skipped = collections.Counter()


def add(w, p, y):
    b = next(i for i in range(len(BINS) - 1) if p < BINS[i + 1])
    cell = table[w][b]
    cell[0] += 1
    cell[1] += p
    cell[2] += y
    brier[w][0] += (p - y) ** 2
    brier[w][1] += 1
    brier[w][2] += y


for scen, run in zip(args[::2], args[1::2]):
    areas = load_areas(scen)
    boxes = {}
    for code, polys in areas.items():
        xs = [x for poly in polys for x, _ in poly[0]]
        ys = [y for poly in polys for _, y in poly[0]]
        boxes[code] = (min(xs), max(xs), min(ys), max(ys))

    def area_of(lon, lat):
        for code, (x0, x1, y0, y1) in boxes.items():
            if x0 <= lon <= x1 and y0 <= lat <= y1 and inside(areas[code], lon, lat):
                return code
        return None

    at = collections.defaultdict(list)  # whole second -> drones and decoys then
    for line in open(f"{scen}/truth.jsonl"):
        r = json.loads(line)
        if r["class"] in ("drone", "decoy") and r["t"] == int(r["t"]):
            at[int(r["t"])].append(r)
    sample = {(o["id"], t): o for t, objs in at.items() for o in objs}
    where = {}

    def area_at(oid, t):
        if (oid, t) not in where:
            o = sample.get((oid, t))
            where[(oid, t)] = None if o is None else area_of(o["lon"], o["lat"])
        return where[(oid, t)]

    forecasts = collections.defaultdict(dict)  # (track, t) -> area -> p_within
    for line in open(f"{run}/forecasts.jsonl"):
        r = json.loads(line)
        if r["coasting"]:
            skipped["coasting"] += 1
            continue
        forecasts[(str(r["track"]), int(r["t"]))][r["area"]] = r["p_within"]
    position = {}
    for line in open(f"{run}/tracks.jsonl"):
        r = json.loads(line)
        k = (str(r["id"]), int(r["t"]))
        if k in forecasts:
            position[k] = (r["lat"], r["lon"])
    for (track, t), by_area in sorted(forecasts.items()):
        if (track, t) not in position:
            skipped["track not in tracks.jsonl"] += 1
            continue
        lat, lon = position[(track, t)]
        best, _ = nearest_object(at.get(t, []), lat, lon, 1000.0)
        if best is None:
            skipped["no drone within 1 km"] += 1
            continue
        now = area_at(best["id"], t)
        path = [area_at(best["id"], t + k) for k in range(1, WINDOWS[-1] + 1)]
        for i, w in enumerate(WINDOWS):
            entered = {a for a in path[:w] if a is not None and a != now}
            for code, p in by_area.items():
                if code != now:
                    add(w, p[i], code in entered)
            for code in entered - set(by_area):
                add(w, 0.0, True)

for w in WINDOWS:
    print(f"within {w} s: forecast bin, count, mean forecast, came true")
    for (lo, hi), (n, s, y) in zip(zip(BINS, BINS[1:]), table[w]):
        if n:
            print(f"  [{lo:4.2f}, {min(hi, 1.0):4.2f}) {n:7d} {s / n:6.3f} {y / n:6.3f}")
    total, n, y = brier[w]
    if n:
        base = y / n
        ref = base * (1.0 - base)
        skill = 1.0 - (total / n) / ref if ref > 0 else float("nan")
        print(f"  Brier {total / n:.4f} over {n} (share true {base:.3f}; skill {skill:.3f})")
print("left out:", dict(skipped))
