#!/bin/bash
# Generalization probes: one shipped wave spec flown differently (speed, altitude,
# route shape, launch rate, a slow and low loitering class) or with fewer kinds of
# sensor, each replayed with the tracker and with perfect tracks, so a classifier or
# policy that only works at the shipped waves' speeds, heights and sensors shows up
# (the twelfth session found drones at 60-70 m/s taken for aircraft this way).
#
#   bench/warn/probes.sh TAG [SPEC.toml] [SEED] [RUNS_DIR]
#
# SPEC defaults to scenarios/south-wave.toml, SEED to 11. Each probe is the spec with
# its wave lines edited by `sed` (written to DATA/probe-<spec>-<name>.toml, kept for
# review) and simulated once into DATA/probe-<spec>-<name>-s<seed> (reused while that
# directory exists: delete it after editing a probe; DATA defaults to out/probes).
# PROBES picks a subset by name; SKYWATCH, CONFIG, BODY and JOBS as for `runs.sh`.
# Prints the tracker's and perfect tracks' lines per probe, then their means. About
# 4 minutes for all on the 2-core VM, simulation included.
#
# The probes (the spec's own waves otherwise; a spec's own `speed_mps` is replaced):
#   slow      28-38 m/s            v5560    55-60 m/s
#   fast      60-70 m/s            v7080    70-80 m/s (a Shahed with a strong tailwind)
#   high      2,000-3,500 m        low      30-80 m
#   dog4      four dog-legs per route
#   burst     a launch every 8 s   lancet   22-30 m/s at 50-300 m, 90 min
# two sensor mixes (sections deleted up to the next blank line):
#   radaronly no microphones, no people   noadsb   no ADS-B receiver
# and air traffic of which 30 % broadcasts no ADS-B (`noncoop`: military and state
# aircraft; every other probe's aircraft all broadcast):
#   noncoop   `[traffic] noncooperative_share = 0.3`
set -euo pipefail
tag=$1; spec=${2:-scenarios/south-wave.toml}; seed=${3:-11}; runs=${4:-out/warn-probes}
here=$(cd "$(dirname "$0")" && pwd)
data=${DATA:-out/probes}
bin=${SKYWATCH:-target/release/skywatch}
base=$(basename "$spec" .toml)
mkdir -p "$data" "$runs"
# A wave's speed range: replaced where the spec sets one, else added after its launch
# interval (every wave has one).
speed() {
    if grep -q '^speed_mps = \[' "$spec"; then
        echo "s/^speed_mps = \[.*/speed_mps = [$1, $2]/"
    else
        echo "s/^launch_interval_s = .*/&\nspeed_mps = [$1, $2]/"
    fi
}
declare -A edit=(
    [slow]="$(speed 28.0 38.0)"
    [v5560]="$(speed 55.0 60.0)"
    [fast]="$(speed 60.0 70.0)"
    [v7080]="$(speed 70.0 80.0)"
    [high]='s/^alt_m = \[.*/alt_m = [2000.0, 3500.0]/'
    [low]='s/^alt_m = \[.*/alt_m = [30.0, 80.0]/'
    [dog4]='s/^doglegs = .*/doglegs = 4/'
    [burst]='s/^launch_interval_s = .*/launch_interval_s = 8.0/'
    [lancet]="$(speed 22.0 30.0);s/^alt_m = \[.*/alt_m = [50.0, 300.0]/;s/^duration_s = .*/duration_s = 5400.0/"
    [radaronly]='/^\[acoustic\]/,/^$/d;/^\[observers\]/,/^$/d'
    [noadsb]='/^\[\[adsb\]\]/,/^$/d'
    [noncoop]='s/^\[traffic\]$/&\nnoncooperative_share = 0.3/'
)
names=${PROBES:-"slow v5560 fast v7080 high low dog4 burst lancet radaronly noadsb noncoop"}
scens=""
for p in $names; do
    [ -n "${edit[$p]:-}" ] || { echo "unknown probe $p"; exit 2; }
    name=probe-$base-$p
    toml=$data/$name.toml
    sed -e "${edit[$p]}" "$spec" > "$toml"
    cmp -s "$spec" "$toml" && { echo "probe $p changed nothing in $spec"; exit 2; }
    d=$data/$name-s$seed
    [ -f "$d/reports.jsonl" ] || "$bin" sim "$toml" --out "$d" --seed "$seed" >/dev/null 2>"$d.log" \
        || { echo "sim probe $p failed:"; tail -3 "$d.log"; exit 1; }
    scens="$scens $name-s$seed"
done
for mode in tr pt; do
    DATA=$data SCENS="$scens" SKYWATCH=$bin "$here/runs.sh" "$tag" "$mode" "$runs"
done
