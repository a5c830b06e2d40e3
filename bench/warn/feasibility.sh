#!/bin/bash
# Is a precision target reachable at all by the predictive policy's thresholds? Runs
# every combination of p_on, p_on_near, near_s and lead_budget_s on the given scenarios
# (pt = perfect tracks, tr = the tracker) and prints, over the grid, the best precision
# whose timely recall is at least the target on every scenario (worst scenario counts).
#
#   bench/warn/feasibility.sh pt|tr RUNS_DIR SCENARIO_DIR...
#
# GRID_P_ON, GRID_P_NEAR, GRID_NEAR_S, GRID_LEAD_S override the value lists; RECALL the
# recall floor (default 99). Two runs at a time. With perfect tracks a DMZ run takes
# about 4 s, with the tracker about 13 s, on the 2-core VM.
set -euo pipefail
mode=$1; runs=$2; shift 2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$runs"
jobs=$runs/jobs; : > "$jobs"
for po in ${GRID_P_ON:-0.5 0.7 0.9}; do
  for pn in ${GRID_P_NEAR:-0.1 0.2 0.3 0.5}; do
    for ns in ${GRID_NEAR_S:-30 60 90}; do
      for lb in ${GRID_LEAD_S:-120 240 400}; do
        name="po${po}_pn${pn}_ns${ns}_lb${lb}"
        body="[policy]\np_on = $po\np_on_near = $pn\nnear_s = $ns.0\nlead_budget_s = $lb.0\n"
        for scen in "$@"; do printf '%s\t%s\t%s\n' "$name" "$body" "$scen" >> "$jobs"; done
      done
    done
  done
done
export here mode runs
# shellcheck disable=SC2016
tr '\n' '\0' < "$jobs" | xargs -0 -P 2 -n 1 bash -c '
  IFS=$'"'"'\t'"'"' read -r name body scen <<< "$1"
  "$here/sweep.sh" "$name" "$scen" "$mode" "$body" "$runs"' _ > "$runs/lines.txt"
python3 - "$runs/lines.txt" "${RECALL:-99}" <<'PY'
import collections, sys
rows = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) < 15 or f[3] != "rec":
        continue
    rows[f[0]][f[1]] = dict(rec=float(f[4]), lead=float(f[8]), prec=float(f[10]), just=float(f[12]))
floor = float(sys.argv[2])
worst = []
for name, by in rows.items():
    w = {k: min(v[k] for v in by.values()) for k in ("rec", "prec", "just", "lead")}
    worst.append((w, name))
print(f"{len(worst)} settings; worst scenario counts")
ok = sorted((x for x in worst if x[0]["rec"] >= floor), key=lambda x: -x[0]["prec"])
print(f"timely recall >= {floor} %: {len(ok)} settings")
for w, name in ok[:5]:
    print(f"  {name:32s} recall {w['rec']:5.1f} precision {w['prec']:5.1f} "
          f"justified {w['just']:5.1f} fresh lead/oracle {w['lead']:5.1f}")
best = max(worst, key=lambda x: (x[0]["rec"], x[0]["prec"]))
print(f"highest recall reached: {best[0]['rec']:.1f} % ({best[1]}, precision {best[0]['prec']:.1f} %)")
PY
