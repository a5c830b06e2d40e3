#!/bin/bash
# One warning-policy run and its score in one line, for sweeps.
#
#   bench/warn/sweep.sh NAME SCENARIO_DIR pt|tr "TOML body" [RUNS_DIR]
#
# pt = --perfect-tracks, tr = the tracker. The TOML body is a `--warn-config`
# (printf-escaped, e.g. "[policy]\np_on = 0.9\n"). POLICY=province|radius picks a
# baseline; SKYWATCH overrides the binary (default target/release/skywatch); CONFIG
# names a tracker configuration (`--config`, TOML `EngineConfig`).
# Prints: name, scenario, mode, timely recall, fresh timely recall, fresh lead/oracle,
# precision, justified share (all %), warned area-hours, number of on intervals.
set -euo pipefail
name=$1; scen=$2; mode=$3; body=${4:-}; runs=${5:-out/warn-sweep}
bin=${SKYWATCH:-target/release/skywatch}
d=$runs/$name-$(basename "$scen")-$mode
mkdir -p "$d"; printf "$body" > "$d/c.toml"
extra=(); [ "$mode" = pt ] && extra=(--perfect-tracks)
[ -n "${CONFIG:-}" ] && extra+=(--config "$CONFIG")
"$bin" replay "$scen" --out "$d/run" "${extra[@]}" --quiet --no-score \
    --warn-config "$d/c.toml" --policy "${POLICY:-predictive}" >/dev/null 2>"$d/err" \
    || { echo "$name FAIL"; tail -3 "$d/err"; exit 1; }
"$bin" score "$scen" "$d/run" --json > "$d/score.json"
python3 - "$d/score.json" "$name" "$(basename "$scen")" "$mode" <<'PY'
import json, sys
w = json.load(open(sys.argv[1]))['warning']
f = lambda x: '  -  ' if x is None else f"{100 * x:5.1f}"
print(f"{sys.argv[2]:28s} {sys.argv[3]:14s} {sys.argv[4]} rec {f(w['timely_recall'])} "
      f"fresh {f(w['fresh_timely_recall'])} lead/or {f(w['fresh_median_lead_over_oracle'])} "
      f"prec {f(w['precision'])} just {f(w['justified_share'])} "
      f"ah {w['warned_area_hours']:6.2f} n {w['alerts']}")
PY
