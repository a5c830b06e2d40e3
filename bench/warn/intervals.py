"""Every `on` interval of a run: whether a drone or decoy was inside the area during it
or within 120 s after (the format spec's precision) and, if not, how close one came;
with the run's `alert-reasons.jsonl`, also why it went on (rule, entry probability,
median ETA and threat probability of the strongest track).

    python3 bench/warn/intervals.py SCENARIO_DIR RUN_DIR

Pure standard library (ray casting on the scenario's areas.geojson, 1 Hz truth)."""
import collections
import json
import sys

from areageo import dist_km, inside, load_areas

scen, run = sys.argv[1], sys.argv[2]
areas = load_areas(scen)
truth = collections.defaultdict(list)
for line in open(f"{scen}/truth.jsonl"):
    r = json.loads(line)
    if r["class"] in ("drone", "decoy"):
        truth[int(r["t"])].append((r["id"], r["lon"], r["lat"]))
T = max(truth) if truth else 0
ints = []; open_ = {}
for line in open(f"{run}/alerts.jsonl"):
    r = json.loads(line)
    if r["state"] == "on": open_[r["area"]] = r
    else:
        s = open_.pop(r["area"]); ints.append((r["area"], s["t"], r["t"], s.get("track")))
for a, s in open_.items(): ints.append((a, s["t"], float(T), s.get("track")))
why = {}
try:
    for line in open(f"{run}/alert-reasons.jsonl"):
        r = json.loads(line)
        if r["state"] == "on":
            top = r["tracks"][0] if r["tracks"] else {}
            why[(r["area"], r["t"])] = (f"{r['rule']} p {r['p_entry']:.2f} eta50 "
                                        f"{top.get('eta_p50_s', float('nan')):.0f} s "
                                        f"p_threat {top.get('p_threat', float('nan')):.2f}")
except FileNotFoundError:
    pass
bad = 0
for a, s, e, tr in sorted(ints, key=lambda x: x[1]):
    polys = areas[a]; ok = False; md = 1e9; who = None
    for t in range(int(s), int(e) + 121):
        for (i, lon, lat) in truth.get(t, []):
            if inside(polys, lon, lat): ok = True; break
            d = dist_km(polys, lon, lat)
            if d < md: md, who = d, i
        if ok: break
    if not ok: bad += 1
    print(f"{a:>6} {s:7.0f} {e:7.0f} dur {e-s:5.0f} {'OK ' if ok else 'FALSE'} {'' if ok else f'min {md:5.1f} km ({who})'} tracks {tr}"
          + (f" | {why[(a, s)]}" if (a, s) in why else ""))
print(f"{len(ints)} intervals, {bad} false, precision {1-bad/max(1,len(ints)):.2f}")
