"""How far each declared ADS-B receiver hears, and how far a run's tracks of one class
are from the nearest receiver: whether ADS-B silence could count where the tracker
called drones "aircraft" (the tracker counts silence only within the farthest distance
a receiver has heard and within its radio horizon; `skywatch-track::squitter`).

    python3 bench/warn/adsb_reach.py SCENARIO_DIR RUN_DIR [CLASS]

CLASS defaults to aircraft. Prints, per receiver, the messages and the farthest
horizontal distance heard (km); then the 10th, 50th and 90th percentile distance (km)
of the run's track-seconds of that class to the nearest receiver. Pure standard
library (`areageo.point_km`)."""
import json
import sys

from areageo import point_km


scen, run = sys.argv[1], sys.argv[2]
cls = sys.argv[3] if len(sys.argv) > 3 else "aircraft"
rx = {s["id"]: (s["lat"], s["lon"])
      for s in json.load(open(f"{scen}/scenario.json"))["sensors"] if s["kind"] == "adsb"}
if not rx:
    sys.exit("no ADS-B receiver declared in scenario.json")
heard = {k: [0, 0.0] for k in rx}
for line in open(f"{scen}/reports.jsonl"):
    if '"adsb"' not in line:
        continue
    r = json.loads(line)
    if r.get("kind") == "adsb" and r["sensor"] in rx:
        h = heard[r["sensor"]]
        h[0] += 1
        h[1] = max(h[1], point_km((r["lat"], r["lon"]), rx[r["sensor"]]))
for k, (n, far) in sorted(heard.items()):
    print(f"{k}: {n} messages, farthest heard {far:.1f} km")
ds = []
for line in open(f"{run}/tracks.jsonl"):
    r = json.loads(line)
    if r["class"] == cls:
        ds.append(min(point_km((r["lat"], r["lon"]), p) for p in rx.values()))
ds.sort()
if ds:
    q = [round(ds[int(len(ds) * f)]) for f in (0.1, 0.5, 0.9)]
    print(f"{len(ds)} track-seconds classified {cls}: distance to the nearest receiver "
          f"p10 {q[0]} km, p50 {q[1]} km, p90 {q[2]} km")
else:
    print(f"no track-seconds classified {cls}")
