#!/bin/bash
# One tracker configuration over many seeds of one scenario spec, and the means: a
# change is kept when it helps across seeds, not on the one shipped.
#
#   bench/warn/seeds.sh NAME SPEC.toml "SEEDS" [RUNS_DIR] [DATA_DIR]
#
# Simulates `SPEC.toml` at each seed into DATA_DIR/<spec>-s<seed> (once; reused when
# the directory exists), replays each with the tracker through `sweep.sh`, prints its
# line per seed and then the mean timely recall, precision and justified share (%).
# CONFIG names a tracker configuration (`--config`), SKYWATCH the binary (default
# target/release/skywatch), JOBS the replays run at once (default 2).
#
# Example (the tenth session's acoustic window, nine seeds):
#   CONFIG=bench/configs/hearing-window-6s.toml bench/warn/seeds.sh w6 scenarios/south-wave-acoustic.toml "21 22 23 24 25 26 27 28 29"
#   bench/warn/seeds.sh w10 scenarios/south-wave-acoustic.toml "21 22 23 24 25 26 27 28 29"
set -euo pipefail
name=$1; spec=$2; seeds=$3; runs=${4:-out/warn-seeds}; data=${5:-out/seeds}
bin=${SKYWATCH:-target/release/skywatch}
here=$(dirname "$0")
base=$(basename "$spec" .toml)
mkdir -p "$data" "$runs"
for s in $seeds; do
    d=$data/$base-s$s
    [ -f "$d/reports.jsonl" ] || "$bin" sim "$spec" --out "$d" --seed "$s" >/dev/null 2>"$d.log" \
        || { echo "sim $spec seed $s failed:"; tail -3 "$d.log"; exit 1; }
done
out=$runs/$name-$base.txt
for s in $seeds; do echo "$data/$base-s$s"; done \
    | xargs -P "${JOBS:-2}" -I{} env SKYWATCH="$bin" bash "$here/sweep.sh" "$name" {} tr "" "$runs" \
    | sort -k2 -V > "$out"
cat "$out"
# Columns of sweep.sh: ... rec R fresh F lead/or L prec P just J ...
awk -v n="$name" '{ r += $5; p += $11; j += $13; k++ }
    END { printf "%s mean of %d seeds: timely recall %.2f precision %.2f justified %.2f\n", n, k, r / k, p / k, j / k }' "$out"
