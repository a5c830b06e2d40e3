"""What the track that raised each false `on` interval of a run really was: the truth
object nearest (within 1 km, horizontally) to the track that contributed the most entry
probability to the interval's `on` line in `alert-reasons.jsonl`, at that second. False
as in the format spec's precision (no drone or decoy inside the area during the interval
or within 120 s after it).

Kinds: drone (a drone or decoy that then did not enter: a prediction that did not come
true), bird, aircraft, nothing (no object within 1 km: clutter, false reports, or a
track far off its object). A tracker's false intervals on birds, aircraft and nothing
are what perfect tracks do not have; those on drones are the policy's share. A track the
warning engine held but the tracker no longer showed at that second is "lost" (deleted)
or "hidden" (the tracker still held it, as a bird it hides) when the run was replayed
with `--all-tracks`, else "not shown".

    python3 bench/warn/warned_by.py SCENARIO_DIR RUN_DIR [RUN_DIR...]

One line per false interval, then the count per kind over all runs given (each RUN_DIR
of the same scenario), then every interval, right or false, by what raised it: phone
reports alone or sensors (with `--all-tracks`; "?" without), a track seen at that second
or one coasting after it was lost. Pure standard library."""
import collections
import json
import sys

from areageo import inside, load_areas, nearest_object, on_intervals

scen, runs = sys.argv[1], sys.argv[2:]
areas = load_areas(scen)
truth = collections.defaultdict(list)
inside_t = collections.defaultdict(set)  # area -> whole seconds a drone is inside
objs = []
for line in open(f"{scen}/truth.jsonl"):
    r = json.loads(line)
    if r["t"] != int(r["t"]):
        continue
    truth[int(r["t"])].append(r)
    if r["class"] in ("drone", "decoy"):
        objs.append(r)


def drone_inside(area, t0, t1):
    polys = areas[area]
    return any(t0 <= o["t"] <= t1 and inside(polys, o["lon"], o["lat"]) for o in objs)


def nearest(t, lat, lon):
    return nearest_object(truth.get(int(t), []), lat, lon, 1000.0)


duration = json.load(open(f"{scen}/scenario.json"))["duration_s"]
kinds = collections.Counter()
sources = collections.Counter()
every = collections.defaultdict(collections.Counter)
for run in runs:
    reasons = {}
    for line in open(f"{run}/alert-reasons.jsonl"):
        r = json.loads(line)
        if r["state"] == "on":
            reasons[(r["area"], r["t"])] = r
    ints = [(a, s, duration if e is None else e) for a, s, e in on_intervals(run)]
    leads = []  # (track, start, area, its reason, whether the interval was right)
    for a, s, e in ints:
        why = reasons.get((a, s))
        if why and why["tracks"]:
            lead = max(why["tracks"], key=lambda x: x["p_entry"])
            leads.append((str(lead["track"]), s, a, lead, drone_inside(a, s, e + 120)))
    want = [(tid, s, a, lead) for tid, s, a, lead, right in leads if not right]
    keys = {(tid, s) for tid, s, _, _ in want}
    last_by = collections.defaultdict(list)  # lead track -> the starts it raised
    for tid, s, _, _, _ in leads:
        last_by[tid].append(s)
    pos, held = {}, {}
    for line in open(f"{run}/tracks.jsonl"):
        r = json.loads(line)
        k = (r["id"], r["t"])
        if k in keys:
            pos[k] = r
    final = {}  # (track, start) -> its last all-tracks.jsonl line by that start
    try:
        for line in open(f"{run}/all-tracks.jsonl"):
            r = json.loads(line)
            k = (r["id"], r["t"])
            if k in keys:
                held[k] = r
            for s0 in last_by.get(r["id"], ()):
                if r["t"] <= s0:
                    final[(r["id"], s0)] = r
        have_all = True
    except FileNotFoundError:
        have_all = False
    for tid, s, a, lead in sorted(want, key=lambda x: (x[1], x[2])):
        r = pos.get((tid, s))
        if r is None:
            h = held.get((tid, s))
            if not have_all:
                kind, what = "not shown", "track not shown at that second"
            elif h is None:
                kind, what = "lost", "track deleted by then"
            else:
                kind = "hidden"
                what = f"held, not shown: {h['class']} {h['class_p']:.2f}, p_threat {h['p_threat']:.2f}"
        else:
            o, d = nearest(s, r["lat"], r["lon"])
            if o is None:
                kind, what = "nothing", f"shown as {r['class']}, no object within 1 km"
            else:
                kind = "drone" if o["class"] in ("drone", "decoy") else o["class"]
                what = f"{o['id']} at {d:.0f} m, shown as {r['class']}"
        f = final.get((tid, s))
        if f is not None and "reporters_only" in f:
            src = "phones only" if f["reporters_only"] else "sensors"
            cov = "in coverage" if f["in_coverage"] else "out of coverage"
            what += f"; {src}, {cov} at {f['t']:.0f}"
            sources[src] += 1
        kinds[kind] += 1
        parts = run.rstrip("/").split("/")
        label = parts[-2] if parts[-1] == "run" and len(parts) > 1 else parts[-1]
        print(f"{label[:40]:40s} {a:>6s} {s:7.0f} track {tid:>6s} "
              f"p_threat {lead['p_threat']:.2f} {kind:9s} {what}")
    for tid, s, _, lead, right in leads:
        f = final.get((tid, s))
        src = "?" if f is None or "reporters_only" not in f else (
            "phones only" if f["reporters_only"] else "sensors")
        every[(src, "coasting" if lead["coasting"] else "seen")][right] += 1
print(dict(kinds), dict(sources))
print("every interval by what raised it: right / all")
for (src, how), c in sorted(every.items()):
    print(f"  {src:12s} {how:9s} {c[True]:4d} / {c[True] + c[False]:4d}")
