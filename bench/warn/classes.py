"""How a run's tracks were classified against what they follow: each `tracks.jsonl`
line is matched to the nearest truth object within 1.5 km at that second (or `none`),
and the seconds are counted by (truth class, track class). "drone>aircraft 41743" is
41,743 track-seconds on a drone that the tracker called an aircraft; `none>drone` are
false tracks shown as drones.

    python3 bench/warn/classes.py SCENARIO_DIR RUN_DIR

Pure standard library (1 Hz truth)."""
import collections
import json
import math
import sys

scen, run = sys.argv[1], sys.argv[2]
truth = collections.defaultdict(list)
for line in open(f"{scen}/truth.jsonl"):
    d = json.loads(line)
    truth[int(d["t"])].append(d)
count = collections.Counter()
for line in open(f"{run}/tracks.jsonl"):
    d = json.loads(line)
    best = None
    for o in truth.get(int(d["t"]), ()):
        dy = (o["lat"] - d["lat"]) * 111.2
        dx = (o["lon"] - d["lon"]) * 111.2 * math.cos(math.radians(d["lat"]))
        r = math.hypot(dx, dy)
        if r < 1.5 and (best is None or r < best[0]):
            best = (r, o["class"])
    count[(best[1] if best else "none", d.get("class"))] += 1
agree = sum(n for (a, b), n in count.items() if a == b)
print(f"{scen.rstrip('/').split('/')[-1]}: {agree} track-seconds agree; "
      + " ".join(f"{a}>{b}:{n}" for (a, b), n in sorted(count.items()) if a != b))
