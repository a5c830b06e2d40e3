#!/bin/bash
# Lead / precision frontier of the predictive corridor against the straight line, over
# the far-entry threshold `p_on` (how confident the earliest warnings must be), so that
# the two are compared at equal precision rather than at one setting each.
#
#   bench/warn/frontier.sh RUNS_DIR SCENARIO_DIR...
#
# Each scenario with the tracker (tr) and with --perfect-tracks (pt). Prints one
# bench/warn/sweep.sh line per run; SKYWATCH overrides the binary. About 5 s a run on
# the shipped DMZ and south-wave scenarios.
set -euo pipefail
runs=$1; shift
here=$(dirname "$0")
straight="[predict]\nmax_turn_s = 0.0\nheading_drift_sd_rad_s = 0.0\nturn_history = false\nleg_turns = false\n[routes]\nenabled = false\n[ends]\nenabled = false\n"
for scen in "$@"; do
  for mode in tr pt; do
    for p in 0.4 0.5 0.6 0.7 0.9; do
      "$here/sweep.sh" "corridor-p_on$p" "$scen" "$mode" "[policy]\np_on = $p\n" "$runs"
      "$here/sweep.sh" "straight-p_on$p" "$scen" "$mode" "${straight}[policy]\np_on = $p\n" "$runs"
    done
  done
done
