"""Could the leaders' end points have told? For each false `on` interval of a run that
`false_kinds.py` calls "ended short" (the nearest drone's flight ended within 400 s
without entering), how many other drones or decoys had ended within 1.5 and 3 km of that
drone's end point before the interval opened (flights still going at the run's end do
not count). None means no end-point memory of the wave could have known the aim point.

    python3 bench/warn/aims.py SCENARIO_DIR RUN_DIR

Pure standard library; runs `false_kinds.py` from this directory."""
import collections
import json
import math
import os
import subprocess
import sys

scen, run = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
out = subprocess.run([sys.executable, os.path.join(here, "false_kinds.py"), scen, run],
                     capture_output=True, text=True, check=True, cwd=here).stdout
ends = {}
for line in open(f"{scen}/truth.jsonl"):
    r = json.loads(line)
    if r["class"] in ("drone", "decoy"):
        ends[r["id"]] = (r["t"], r["lat"], r["lon"])
duration = json.load(open(f"{scen}/scenario.json"))["duration_s"]


def km(a, b):
    kx = 111.2 * math.cos(math.radians(a[0]))
    return math.hypot((a[0] - b[0]) * 111.2, (a[1] - b[1]) * kx)


count = collections.Counter()
for line in out.splitlines():
    f = line.split()
    if len(f) > 4 and f[2] == "ended":
        area, start, who = f[0], float(f[1]), f[4]
        t_end, lat, lon = ends[who]
        prior = [km((lat, lon), (e[1], e[2])) for k, e in ends.items()
                 if k != who and e[0] < start and e[0] < duration - 1]
        n15 = sum(1 for x in prior if x < 1.5)
        n3 = sum(1 for x in prior if x < 3.0)
        nearest = f"{min(prior):.1f} km" if prior else "none"
        print(f"{area:>6} {start:7.0f} {who} ended {t_end:.0f} s; earlier ends within "
              f"1.5 km: {n15}, 3 km: {n3}; nearest {nearest}")
        count["an earlier end within 3 km" if n3 else "no earlier end within 3 km"] += 1
print(dict(count))
