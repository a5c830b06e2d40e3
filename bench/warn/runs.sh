#!/bin/bash
# One configuration over a list of simulated runs, and the means: the "18 shipped runs"
# check of bench/RESULTS.md (every shipped spec that is not the mass wave, at the seeds
# kept in /work/data since the ninth session).
#
#   bench/warn/runs.sh TAG [pt|tr] [RUNS_DIR]
#
# DATA (default /work/data) holds the scenario directories; SCENS overrides the list;
# BODY is a `--warn-config` TOML body (printf-escaped), CONFIG a tracker `--config`,
# SKYWATCH the binary, JOBS the replays run at once (default 2). One `sweep.sh` line per
# run, sorted, then the mean timely recall, precision and justified share (%). Two
# tags compare with `join -j 2` on their lines. About a minute on the 2-core VM.
set -euo pipefail
tag=$1; mode=${2:-tr}; runs=${3:-out/warn-runs}
here=$(cd "$(dirname "$0")" && pwd)
data=${DATA:-/work/data}
scens=${SCENS:-"dmz dmz-s2 south-wave south-wave-s12 south-wave-s13 south-acoustic south-acoustic-s22 south-acoustic-s23 west-wave west-wave-s32 west-wave-s33 west-radar west-phones east-s41 east-s42 ci-small-s1 ci-small-s3 acoustic-inland"}
out=$(for s in $scens; do echo "$data/$s"; done \
  | xargs -P "${JOBS:-2}" -I{} env CONFIG="${CONFIG:-}" "$here/sweep.sh" "$tag" {} "$mode" "${BODY:-}" "$runs" \
  | sort -k2)
echo "$out"
echo "$out" | awk '{r+=$5; p+=$11; j+=$13; n++} END {if (n) printf "mean of %d: timely recall %.2f, precision %.2f, justified share %.2f\n", n, r/n, p/n, j/n}'
