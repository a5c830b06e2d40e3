"""How often does a warning that went out at entry probability p come true? The
reliability of the warnings themselves, as the public receives them: every `on`
interval of a run, binned by the entry probability its `on` line gave
(`alert-reasons.jsonl`, `p_entry`: the area's merged probability, threat probability
included), against whether it was right in the format spec's precision sense (a drone
or decoy inside the area during the interval or within 120 s after it: `skywatch score
--json`, `warning.intervals[].justified`).

This is what a CAP consumer reads into `certainty`: CAP 1.2 defines "Likely" as
p > ~50 % and "Possible" as p <= ~50 %, and `skywatch-cap` marks a predicted warning
Likely (Observed once the threat is inside). A bin whose share is under 50 % would make
that a false claim.

Prints, per bin: intervals, mean `p_entry`, share right; then the same by the rule that
raised the interval (`predicted` or `inside`) and by whether its strongest track was
coasting. An interval still on when a run ends counts false unless a drone is already
inside (the spec's definition), so the last bins of a wave still arriving read low.

    skywatch score SCENARIO_DIR RUN_DIR --json > SCORE.json
    python3 bench/warn/onset.py RUN_DIR SCORE.json [RUN_DIR SCORE.json ...]

Pairs add up (several scenarios or seeds). Pure standard library."""
import collections
import json
import sys

BINS = [0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0 + 1e-9]
args = sys.argv[1:]
if not args or len(args) % 2:
    sys.exit(__doc__)

by_bin = [[0, 0.0, 0] for _ in BINS[:-1]]  # count, sum of p, right
by_kind = collections.defaultdict(lambda: [0, 0])  # count, right
unmatched = 0
for run, score in zip(args[::2], args[1::2]):
    onsets = {}
    with open(f"{run}/alert-reasons.jsonl") as f:
        for line in f:
            r = json.loads(line)
            if r["state"] == "on":
                onsets[(r["area"], r["t"])] = r
    for iv in json.load(open(score))["warning"]["intervals"]:
        r = onsets.get((iv["area"], iv["start"]))
        if r is None:
            unmatched += 1
            continue
        p, right = r["p_entry"], bool(iv["justified"])
        b = max(i for i in range(len(BINS) - 1) if p >= BINS[i])
        by_bin[b][0] += 1
        by_bin[b][1] += p
        by_bin[b][2] += right
        top = max(r["tracks"], key=lambda x: x["p_entry"], default=None)
        coasting = bool(top and top["coasting"])
        for kind in (f"rule {r['rule']}", f"strongest track coasting: {coasting}"):
            by_kind[kind][0] += 1
            by_kind[kind][1] += right

print(f"{'p_entry at onset':>18}  {'intervals':>9}  {'mean p':>6}  {'right':>6}")
for i, (n, ps, right) in enumerate(by_bin):
    if n:
        close = "]" if i == len(BINS) - 2 else ")"  # the last bin holds p = 1
        print(f"  [{BINS[i]:.1f}, {min(BINS[i + 1], 1.0):.1f}{close}{'':5}  {n:9d}  "
              f"{ps / n:6.3f}  {right / n * 100:5.1f}%")
total = sum(b[0] for b in by_bin)
right = sum(b[2] for b in by_bin)
if total:
    print(f"  all{'':14}  {total:9d}  {'':6}  {right / total * 100:5.1f}%")
for kind in sorted(by_kind):
    n, r = by_kind[kind]
    print(f"{kind}: {n} intervals, {r / n * 100:.1f}% right")
if unmatched:
    print(f"{unmatched} intervals had no `on` line in alert-reasons.jsonl")
