"""The `on` intervals a coasting track raised: every interval whose largest contributor in
`alert-reasons.jsonl` was a track the warning engine held after the tracker lost it, with
what the drone under that track did next. For each: the area and start, right or wrong
(the format spec's precision: a drone or decoy inside during it or within 120 s after),
the track and when it was last held by the tracker, the drone within 3 km of the track
then, when that drone's flight ended (and the interval's start minus that end: positive
means the drone had already come down), and the phone reports labelled with that drone
before the loss and between the loss and the interval's start.

It tells whether the silence of people's phones after a loss could have told a drone
that came down from one that flew on (the seventeenth session's question: at about one
report a minute, it could not; `bench/RESULTS.md`).

    python3 bench/warn/coasting.py SCENARIO_DIR RUN_DIR

RUN_DIR must come from `skywatch replay --all-tracks` (it reads `all-tracks.jsonl`).
Tracks that only phone reports fed are left out. Pure standard library (1 Hz truth)."""
import collections
import json
import sys

from areageo import inside, load_areas, nearest_object, on_intervals

scen, run = sys.argv[1], sys.argv[2]
areas = load_areas(scen)
duration = json.load(open(f"{scen}/scenario.json"))["duration_s"]
at_second = collections.defaultdict(list)
objs, end = [], collections.defaultdict(float)
for line in open(f"{scen}/truth.jsonl"):
    r = json.loads(line)
    if r["class"] not in ("drone", "decoy"):
        continue
    end[r["id"]] = max(end[r["id"]], r["t"])
    if r["t"] == int(r["t"]):
        at_second[int(r["t"])].append(r)
        objs.append(r)
phones = collections.defaultdict(list)  # object -> times of its phone reports
for rl, ll in zip(open(f"{scen}/reports.jsonl"), open(f"{scen}/labels.jsonl")):
    r, lab = json.loads(rl), json.loads(ll)
    if r["kind"] == "bearing" and r["sensor"].startswith("obs") and lab["truth"]:
        phones[lab["truth"]].append(r["t"])


def drone_inside(area, t0, t1):
    return any(t0 <= o["t"] <= t1 and inside(areas[area], o["lon"], o["lat"]) for o in objs)


reasons = {}
for line in open(f"{run}/alert-reasons.jsonl"):
    r = json.loads(line)
    if r["state"] == "on":
        reasons[(r["area"], r["t"])] = r
held = collections.defaultdict(list)  # track -> its all-tracks lines, in time order
for line in open(f"{run}/all-tracks.jsonl"):
    r = json.loads(line)
    held[r["id"]].append(r)
tally = collections.Counter()
for a, s, e in on_intervals(run):
    why = reasons.get((a, s))
    if not why or not why["tracks"]:
        continue
    lead = max(why["tracks"], key=lambda x: x["p_entry"])
    before = [r for r in held.get(str(lead["track"]), []) if r["t"] <= s]
    if not lead["coasting"] or not before or before[-1]["reporters_only"]:
        continue
    last = before[-1]
    right = drone_inside(a, s, (duration if e is None else e) + 120)
    tally[right] += 1
    near, nd = nearest_object(at_second.get(int(last["t"]), []), last["lat"], last["lon"], 3000.0)
    head = (f"{a:>6s} {s:7.0f} {'right' if right else 'wrong'} track {lead['track']:>6} "
            f"last held {last['t']:7.0f}")
    if near is None:
        print(f"{head}  no drone within 3 km")
        continue
    p = phones[near["id"]]
    n_before = sum(1 for x in p if x <= last["t"])
    n_between = sum(1 for x in p if last["t"] < x <= s)
    print(f"{head}  {near['id']} at {nd:4.0f} m, flight ends {end[near['id']]:7.0f} "
          f"(start - end {s - end[near['id']]:+6.0f} s), phone reports before {n_before:3d}, "
          f"between {n_between:2d}")
print(f"coasting-led intervals: {tally[True]} right, {tally[False]} wrong")
