"""How straight tracks fly, by what they follow: the evidence behind the tracker's
transit term (`ClassifyConfig::transit_*`). For every confirmed track updated within
the last 20 s, at every STEP seconds, the straightness of its path over the last WINDOW
seconds (first-to-last distance over the length through its samples STEP apart, from
`all-tracks.jsonl`) and its net speed (first-to-last distance over the time); the track
is matched to the nearest truth object within 1 km (else `none`). Prints, per truth
class, the quantiles of straightness and the share of track-time at or above 0.85,
0.90 and 0.95, overall and where the net speed is at least 20 m/s.

    skywatch replay SCENARIO_DIR --out RUN_DIR --all-tracks
    python3 bench/warn/straightness.py SCENARIO_DIR RUN_DIR [WINDOW [STEP]]

WINDOW defaults to 300 s and STEP to 30 s (the tracker's defaults). Pure standard
library (1 Hz truth)."""
import collections
import json
import math
import sys

scen, run = sys.argv[1], sys.argv[2]
W = float(sys.argv[3]) if len(sys.argv) > 3 else 300.0
STEP = float(sys.argv[4]) if len(sys.argv) > 4 else 30.0


def dist(a, b):
    k = 111195 * math.cos(math.radians(0.5 * (a[0] + b[0])))
    return math.hypot((a[0] - b[0]) * 111195, (a[1] - b[1]) * k)


truth = collections.defaultdict(list)
for line in open(f"{scen}/truth.jsonl"):
    r = json.loads(line)
    if r["t"] % STEP == 0:
        truth[r["t"]].append(r)
hist = collections.defaultdict(list)
stats = collections.defaultdict(list)
for line in open(f"{run}/all-tracks.jsonl"):
    r = json.loads(line)
    if r["t"] % STEP:
        continue
    h = hist[r["id"]]
    h.append((r["t"], r["lat"], r["lon"]))
    while h and h[0][0] < r["t"] - W:
        h.pop(0)
    if r["status"] == "tentative" or r["last_update_t"] < r["t"] - 20:
        continue
    if h[-1][0] - h[0][0] < W - 1:
        continue
    path = sum(dist(h[i][1:], h[i + 1][1:]) for i in range(len(h) - 1))
    if path < 1:
        continue
    net = dist(h[0][1:], h[-1][1:])
    here = (r["lat"], r["lon"])
    best = min(truth[r["t"]], key=lambda x: dist((x["lat"], x["lon"]), here), default=None)
    c = "none" if best is None or dist((best["lat"], best["lon"]), here) > 1000 else best["class"]
    stats[c].append((net / path, net / (h[-1][0] - h[0][0])))
print(f"window {W:.0f} s, samples {STEP:.0f} s apart; share of track-time at straightness >= 0.85 / 0.90 / 0.95")
for c, v in sorted(stats.items()):
    rs = sorted(x[0] for x in v)
    q = lambda p: rs[int(p * (len(rs) - 1))]
    share = lambda xs, th: sum(x[0] >= th for x in xs) / len(xs) if xs else float("nan")
    fast = [x for x in v if x[1] >= 20.0]
    print(f"{c:9s} n {len(v):6d}  p10 {q(.1):.2f} p50 {q(.5):.2f} p90 {q(.9):.2f}  "
          f"all {share(v, .85):.2f} / {share(v, .9):.2f} / {share(v, .95):.2f}  "
          f"net >= 20 m/s: n {len(fast):6d} {share(fast, .85):.2f} / {share(fast, .9):.2f} / {share(fast, .95):.2f}")
