#!/bin/bash
# The same-run warning table of bench/RESULTS.md: for each scenario, the predictive
# policy and the straight-line corridor with the tracker (tr) and with perfect tracks
# (pt), and the two baselines that stand for today's practice, all scored alike.
#
#   bench/warn/table.sh RUNS_DIR SCENARIO_DIR...
#
# One bench/warn/sweep.sh line per run; SKYWATCH overrides the binary. About 2 min per
# shipped DMZ or south-wave scenario, 25 min for the mass wave, on the 2-core VM.
set -euo pipefail
runs=$1; shift
here=$(dirname "$0")
straight="[predict]\nmax_turn_s = 0.0\nheading_drift_sd_rad_s = 0.0\nturn_history = false\nleg_turns = false\n[routes]\nenabled = false\n[ends]\nenabled = false\n"
for scen in "$@"; do
  "$here/sweep.sh" predictive "$scen" tr "" "$runs"
  "$here/sweep.sh" predictive "$scen" pt "" "$runs"
  "$here/sweep.sh" straight "$scen" tr "$straight" "$runs"
  "$here/sweep.sh" straight "$scen" pt "$straight" "$runs"
  POLICY=province "$here/sweep.sh" province "$scen" tr "" "$runs"
  POLICY=radius "$here/sweep.sh" radius "$scen" tr "" "$runs"
done
