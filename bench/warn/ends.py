"""Are the tracks nobody takes up impacts? For every drone-or-unknown track followed
for 60 s or more that vanished more than 300 s before the end of the run: was a new
track born within 300 s where it could have flown by then (3 km plus its speed times
the time since; taken up: a gap), and did a drone or decoy end within 3 km and 90 s of
the loss (impact)? The table behind `skywatch-warn`'s end-point memory.

    python3 bench/warn/ends.py SCENARIO_DIR RUN_DIR

Pure standard library; reads truth.jsonl and the run's tracks.jsonl."""
import collections
import json
import math
import sys

scen, run = sys.argv[1], sys.argv[2]
T = json.load(open(f"{scen}/scenario.json"))["duration_s"]
tracks = collections.defaultdict(list)
for line in open(f"{run}/tracks.jsonl"):
    r = json.loads(line)
    if r.get("class") in ("drone", "unknown"):
        tracks[r["id"]].append((r["t"], r["lat"], r["lon"], r.get("vn", 0), r.get("ve", 0)))
last, last_pos = {}, {}
for line in open(f"{scen}/truth.jsonl"):
    r = json.loads(line)
    if r["class"] in ("drone", "decoy"):
        last[r["id"]] = r["t"]
        last_pos[r["id"]] = (r["lat"], r["lon"])


def dist(a, b):
    kx = 111320 * math.cos(math.radians(a[0]))
    return math.hypot((a[0] - b[0]) * 110570, (a[1] - b[1]) * kx)


births = [(v[0][0], k, (v[0][1], v[0][2])) for k, v in tracks.items()]
stats = collections.Counter()
for k, v in tracks.items():
    t0, t1 = v[0][0], v[-1][0]
    speed = math.hypot(v[-1][3], v[-1][4])
    if t1 - t0 < 60 or t1 > T - 300 or speed < 25:
        continue
    p = (v[-1][1], v[-1][2])
    taken_up = any(t1 < tb <= t1 + 300 and dist(p, q) < 3000 + speed * (tb - t1)
                   for tb, kk, q in births if kk != k)
    impact = any(abs(last[i] - t1) < 90 and dist(p, last_pos[i]) < 3000 for i in last)
    stats[("taken up" if taken_up else "not taken up", "impact" if impact else "in flight")] += 1
for key in sorted(stats):
    print(f"{key[0]:>13} {key[1]:>9} {stats[key]:4d}")
