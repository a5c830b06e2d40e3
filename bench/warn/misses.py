"""Where the timely recall goes: every observable incursion not warned in time (the
format spec's timely recall: lead >= min(60 s, half the oracle lead)), and whether the
tracker or the policy lost it. With `need` that required lead and `by` = entry - need:

- never tracked in time: no track came within 2 km of the drone between its first
  report and `by` (too few reports, or a track that started too late or too far off);
- lost before entry: one did, but none was within 2 km at `by` (the track was lost and
  its coasting corridor did not warn the area);
- tracked, warned late: one was within 2 km at `by`, and the policy still did not warn
  in time (it did not predict the entry, or its threshold was not met).

A track "within 2 km" may follow another drone of a dense wave; the line names the
last track within 2 km by `by` (the nearest at that second), its class, and the drone's
reports by kind in the 300 s before entry.
Ends with the count per kind, and how many misses had fewer than three reports of the
drone by `by` (too few for any tracker to locate and head it).

When the run was made with `skywatch replay --all-tracks` (RUN_DIR/all-tracks.jsonl),
a "never tracked in time" line also says what the tracker held unshown within 2 km of
the drone by `by`: nothing (no track started), a tentative track (started, never
confirmed in time), or a track shown to nobody (a bird confident enough to hide, or
expired); the counts of those follow.

    skywatch score SCENARIO_DIR RUN_DIR --json > SCORE.json
    python3 bench/warn/misses.py SCENARIO_DIR RUN_DIR SCORE.json

Pure standard library (1 Hz truth, the run's tracks.jsonl)."""
import collections
import json
import math
import os
import sys

from areageo import point_km

NEAR_KM = 2.0

scen, run, score = sys.argv[1], sys.argv[2], sys.argv[3]
outcomes = json.load(open(score))["warning"]["outcomes"]
miss = [o for o in outcomes if o["observable"] and not o["timely"]]
objs = {o["object"] for o in miss}

truth = collections.defaultdict(dict)  # object -> t -> (lat, lon)
for line in open(f"{scen}/truth.jsonl"):
    r = json.loads(line)
    if r["id"] in objs:
        truth[r["id"]][int(r["t"])] = (r["lat"], r["lon"])
reports = collections.defaultdict(list)  # object -> [(t, kind)]
for line, label in zip(open(f"{scen}/reports.jsonl"), open(f"{scen}/labels.jsonl")):
    o = json.loads(label).get("truth")
    if o in objs:
        r = json.loads(line)
        reports[o].append((r["t"], r["kind"]))



def nearest(path, keep, fields):
    """object -> t -> (km, *fields(line)): the nearest line of the run file `path` within
    NEAR_KM of each missed drone at each second, among the lines `keep` accepts."""
    out = collections.defaultdict(dict)
    for line in open(path):
        y = json.loads(line)
        if not keep(y):
            continue
        t = int(y["t"])
        for o in objs:
            x = truth[o].get(t)
            if x is None:
                continue
            d = point_km(x, (y["lat"], y["lon"]))
            if d < NEAR_KM and (t not in out[o] or d < out[o][t][0]):
                out[o][t] = (d, *fields(y))
    return out


# The shown tracks: (km, track id, class).
near = nearest(f"{run}/tracks.jsonl", lambda y: True, lambda y: (y["id"], y.get("class")))
# What the tracker held but did not show: (km, id, status, class, first_t, hits).
all_tracks = f"{run}/all-tracks.jsonl"
held = collections.defaultdict(dict)
if os.path.exists(all_tracks):
    held = nearest(all_tracks, lambda y: not y["shown"],
                   lambda y: (y["id"], y["status"], y["class"], y["first_t"], y["hits"]))

kinds = collections.Counter()
unshown = collections.Counter()
sparse = 0
for m in sorted(miss, key=lambda m: (m["entry_t"], m["object"])):
    o, e = m["object"], m["entry_t"]
    need = min(60.0, m["oracle_lead_s"] / 2.0)
    by = int(math.floor(e - need))
    first = min(t for t, _ in reports[o])
    seen = [t for t in near[o] if first <= t <= by]
    if not seen:
        kind = "never tracked in time"
    elif by not in near[o]:
        kind = "lost before entry"
    else:
        kind = "tracked, warned late"
    kinds[kind] += 1
    last = max(seen) if seen else None
    who = f"last near at {last} s: track {near[o][last][1]} ({near[o][last][2]})" if last else "no track near"
    before = collections.Counter(k for t, k in reports[o] if e - 300 <= t <= e)
    n_by = sum(1 for t, _ in reports[o] if t <= by)
    sparse += n_by < 3
    if not seen and os.path.exists(all_tracks):
        ts = [t for t in held[o] if first <= t <= by]
        if ts:
            d, tid, status, cls, t0, hits = held[o][max(ts)]
            what = "tentative" if status == "tentative" else f"{status}, hidden"
            who += (f"; held unshown at {max(ts)} s: track {tid} ({what}, {cls}, "
                    f"started {t0:.0f} s, {hits} hits)")
            unshown[what.split(",")[0] if status == "tentative" else "hidden"] += 1
        else:
            who += "; nothing held near"
            unshown["nothing started"] += 1
    lead = "none" if m["lead_s"] is None else f"{m['lead_s']:.0f} s"
    print(f"{o:8s} {m['area']:>6s} entry {e:6.0f} lead {lead:>6s} (needed {need:4.0f} s) "
          f"first report {first:6.0f} ({n_by} by then) | {kind:22s} | {who} | "
          f"reports in 300 s before: {dict(before)}")
print(dict(kinds), f"fewer than 3 reports by then: {sparse} of {len(miss)}")
if os.path.exists(all_tracks):
    print("never tracked in time, what the tracker held:", dict(unshown))
