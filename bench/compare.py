#!/usr/bin/env python3
"""Run Skywatch and the Stone Soup peer on the same scenarios, score both, print a table.

    python bench/compare.py SCENARIO_DIR [SCENARIO_DIR...] --runs-dir out/bench

For each scenario (optionally cut to the same prefix for both tools with
--max-seconds), in one invocation and one after the other on the same machine:

1. `skywatch replay SCEN --out RUNS/<name>/skywatch --no-alerts --no-score` (wall time of the process);
2. `python bench/stonesoup/track.py SCEN --out RUNS/<name>/stonesoup` (wall time of
   the process, and its own tracking-only time from stonesoup-stats.json);
3. `skywatch score SCEN RUN --json` on both runs (falls back to the independent
   bench/stonesoup/gospa.py when the Rust scorer is missing or fails).

Prints a markdown table (for bench/RESULTS.md) and machine info; writes
RUNS/compare.json and, with --out-md, the markdown too. Reports/s always divides
the number of reports in the scenario (prefix) the tool was given by its time.
"""
import argparse
import datetime as dt
import json
import os
import platform
import resource
import shlex
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SS_TRACK = os.path.join(HERE, "stonesoup", "track.py")
PY_GOSPA = os.path.join(HERE, "stonesoup", "gospa.py")
SS_KINDS = {"radar", "position", "adsb"}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def count_lines(path):
    n = 0
    with open(path, "rb") as f:
        for line in f:
            if line.strip():
                n += 1
    return n


def make_subset(src, dst, max_seconds=None, kinds=None):
    """Copy a scenario keeping reports with rx <= max_seconds (and of `kinds`), their
    labels, truth with t <= max_seconds; duration_s cut to max_seconds."""
    os.makedirs(dst, exist_ok=True)
    with open(os.path.join(src, "scenario.json")) as f:
        sc = json.load(f)
    if max_seconds is not None:
        sc["duration_s"] = min(float(sc.get("duration_s", max_seconds)), max_seconds)
    with open(os.path.join(dst, "scenario.json"), "w") as f:
        json.dump(sc, f)
    lab_src = os.path.join(src, "labels.jsonl")
    has_labels = os.path.exists(lab_src)
    n = 0
    with open(os.path.join(src, "reports.jsonl")) as fr, \
            open(os.path.join(dst, "reports.jsonl"), "w") as fo, \
            (open(lab_src) if has_labels else open(os.devnull)) as fl, \
            (open(os.path.join(dst, "labels.jsonl"), "w") if has_labels else open(os.devnull, "w")) as flo:
        for line in fr:
            lab = fl.readline() if has_labels else ""
            if not line.strip():
                continue
            r = json.loads(line)
            if max_seconds is not None and float(r["rx"]) > max_seconds:
                break
            if kinds is not None and r.get("kind") not in kinds:
                continue
            fo.write(line if line.endswith("\n") else line + "\n")
            if has_labels:
                flo.write(lab if lab.endswith("\n") else lab + "\n")
            n += 1
    tsrc = os.path.join(src, "truth.jsonl")
    if os.path.exists(tsrc):
        with open(tsrc) as fi, open(os.path.join(dst, "truth.jsonl"), "w") as fo:
            for line in fi:
                if not line.strip():
                    continue
                if max_seconds is not None and float(json.loads(line)["t"]) > max_seconds + 1.0:
                    break
                fo.write(line)
    for extra in ("areas.geojson",):
        if os.path.exists(os.path.join(src, extra)):
            shutil.copy(os.path.join(src, extra), os.path.join(dst, extra))
    return n


def run_timed(cmd, log_path):
    log("$ " + " ".join(shlex.quote(c) for c in cmd))
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    with open(log_path, "w") as lf:
        p = subprocess.run(cmd, stdout=lf, stderr=subprocess.STDOUT)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return p.returncode, wall, cpu


def find_key(obj, names):
    """First value of any key in `names`, searching dicts depth-first (prefers `tracking`)."""
    if isinstance(obj, dict):
        for n in names:
            if n in obj and not isinstance(obj[n], (dict, list)):
                return obj[n]
        keys = sorted(obj, key=lambda k: k != "tracking")
        for k in keys:
            if k == "series":
                continue
            v = find_key(obj[k], names)
            if v is not None:
                return v
    return None


FIGS = {
    "mean_gospa_m": ["mean_gospa_m", "mean_gospa", "gospa_mean", "gospa"],
    "mean_missed": ["mean_missed", "missed"],
    "mean_false": ["mean_false", "false", "mean_false_tracks"],
    "id_switches": ["id_switches", "switches"],
    "rms_distance_m": ["rms_distance_m", "rms_assigned_m", "rms_m"],
    "recall": ["recall"],
    "timely_recall": ["timely_recall"],
}


def score(args, scen, run, logdir, tag):
    res = {}
    if args.scorer in ("rust", "both") and os.path.exists(args.skywatch):
        cmd = [args.skywatch, "score", scen, run, "--json"]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode == 0:
            try:
                j = json.loads(p.stdout)
                with open(os.path.join(logdir, f"score-{tag}.json"), "w") as f:
                    f.write(p.stdout)
                res = {k: find_key(j, v) for k, v in FIGS.items()}
                res["scorer"] = "skywatch score"
            except ValueError:
                log(f"skywatch score: output is not JSON ({p.stdout[:200]!r})")
        else:
            log(f"skywatch score failed ({p.returncode}): {p.stderr.strip()[:300]}")
    if not res and args.scorer in ("rust", "both", "python"):
        p = subprocess.run([args.python, PY_GOSPA, scen, run, "--json"], capture_output=True, text=True)
        if p.returncode == 0:
            j = json.loads(p.stdout)
            with open(os.path.join(logdir, f"score-{tag}-py.json"), "w") as f:
                f.write(p.stdout)
            res = {k: find_key(j, v) for k, v in FIGS.items()}
            res["scorer"] = "gospa.py"
        else:
            log(f"gospa.py failed: {p.stderr.strip()[:300]}")
    return res


def machine_info():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = "?"
    try:
        ssv = subprocess.run([sys.executable, "-c", "import stonesoup;print(stonesoup.__version__)"],
                             capture_output=True, text=True).stdout.strip()
    except OSError:
        ssv = "?"
    return {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "stonesoup": ssv, "git": commit, "loadavg": os.getloadavg()}


def fmt(v, nd=1):
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.{nd}f}"
    return str(v)


def ratio(a, b, nd=2):
    if a is None or b is None or not b:
        return "–"
    return f"{a / b:.{nd}f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenarios", nargs="+")
    ap.add_argument("--runs-dir", default="out/bench")
    ap.add_argument("--skywatch", default=os.path.join(ROOT, "target", "release", "skywatch"),
                    help="skywatch binary (default target/release/skywatch)")
    ap.add_argument("--skywatch-args",
                    default="replay {scen} --out {run} --quiet --no-alerts --no-score",
                    help="replay command line after the binary; {scen} {run} substituted. "
                         "The default does what the Stone Soup peer does (tracks only): no "
                         "warning engine, no CAP, no in-process scoring (both tools are "
                         "scored afterwards by the same scorer)")
    ap.add_argument("--python", default=sys.executable, help="python with stonesoup installed")
    ap.add_argument("--max-seconds", type=float,
                    help="cut every scenario to reports with rx <= S (same prefix for both tools)")
    ap.add_argument("--stonesoup-usable-only", action="store_true",
                    help="feed Stone Soup a copy holding only radar/position/adsb reports "
                         "(it cannot use bearings); both are still scored on the full scenario")
    ap.add_argument("--ss-set", action="append", default=[], metavar="KEY=VALUE",
                    help="Stone Soup config override, passed to track.py --set")
    ap.add_argument("--ss-config", help="Stone Soup JSON config, passed to track.py --config")
    ap.add_argument("--scorer", choices=["rust", "python", "both"], default="rust",
                    help="rust: skywatch score, falling back to gospa.py; python: gospa.py only")
    ap.add_argument("--tools", default="skywatch,stonesoup")
    ap.add_argument("--out-md", help="also write the markdown here")
    a = ap.parse_args()
    a.skywatch = os.path.abspath(a.skywatch)
    tools = [t.strip() for t in a.tools.split(",") if t.strip()]
    os.makedirs(a.runs_dir, exist_ok=True)

    rows = []
    for scen0 in a.scenarios:
        scen0 = os.path.abspath(scen0.rstrip("/"))
        name = os.path.basename(scen0)
        base = os.path.join(a.runs_dir, name if a.max_seconds is None else f"{name}-{a.max_seconds:g}s")
        os.makedirs(base, exist_ok=True)
        scen = scen0
        if a.max_seconds is not None:
            scen = os.path.join(base, "scenario")
            make_subset(scen0, scen, max_seconds=a.max_seconds)
        n_reports = count_lines(os.path.join(scen, "reports.jsonl"))
        with open(os.path.join(scen, "scenario.json")) as f:
            duration = json.load(f).get("duration_s")
        res = {}
        for tool in tools:
            run = os.path.join(base, tool)
            if os.path.isdir(run):
                shutil.rmtree(run)
            os.makedirs(run)
            row = {"scenario": name, "tool": tool, "reports": n_reports, "duration_s": duration,
                   "ok": False}
            if tool == "skywatch":
                if not os.path.exists(a.skywatch):
                    log(f"skywatch binary not found at {a.skywatch}; skipping")
                    row["error"] = "binary missing"
                    rows.append(row)
                    res[tool] = row
                    continue
                cmd = [a.skywatch] + [s.format(scen=scen, run=run) for s in shlex.split(a.skywatch_args)]
                rc, wall, cpu = run_timed(cmd, os.path.join(base, "skywatch.log"))
            elif tool == "stonesoup":
                ss_scen = scen
                if a.stonesoup_usable_only:
                    ss_scen = os.path.join(base, "scenario-ss-usable")
                    row["reports_fed_file"] = make_subset(scen, ss_scen, kinds=SS_KINDS)
                cmd = [a.python, SS_TRACK, ss_scen, "--out", run]
                for kv in a.ss_set:
                    cmd += ["--set", kv]
                if a.ss_config:
                    cmd += ["--config", a.ss_config]
                rc, wall, cpu = run_timed(cmd, os.path.join(base, "stonesoup.log"))
                try:
                    with open(os.path.join(run, "stonesoup-stats.json")) as f:
                        st = json.load(f)
                    row["track_s"] = st["wall_track_s"]
                    row["late_dropped"] = st["reports_late_dropped"]
                    row["bearing_ignored"] = st["counts"]["bearing_ignored"]
                except (OSError, KeyError, ValueError):
                    pass
            else:
                raise SystemExit(f"unknown tool {tool}")
            row["wall_s"] = wall
            row["cpu_s"] = cpu
            row["rc"] = rc
            row["reports_per_s"] = n_reports / wall if wall > 0 else None
            if row.get("track_s"):
                row["reports_per_s_track"] = n_reports / row["track_s"]
            if rc != 0:
                log(f"{tool} failed with exit code {rc}; see {base}/{tool}.log")
                row["error"] = f"exit {rc}"
            elif not os.path.exists(os.path.join(run, "tracks.jsonl")):
                row["error"] = "no tracks.jsonl"
            else:
                row["ok"] = True
                row.update(score(a, scen, run, base, tool))
            rows.append(row)
            res[tool] = row

    mi = machine_info()
    out = []
    out.append(f"Machine: {mi['cpu']}, nproc {mi['nproc']}, load avg {mi['loadavg'][0]:.1f}; "
               f"{mi['date']}; git {mi['git']}; Python {mi['python']}, Stone Soup {mi['stonesoup']}.")
    if a.max_seconds is not None:
        out.append(f"Scenarios cut to reports with rx <= {a.max_seconds:g} s (same prefix for both tools).")
    out.append("")
    out.append("| scenario | tool | reports | wall s | CPU s | reports/s | reports/s (tracking only) "
               "| mean GOSPA m | missed | false | ID switches | scorer |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        if not r.get("ok"):
            out.append(f"| {r['scenario']} | {r['tool']} | {r['reports']} | {fmt(r.get('wall_s'), 2)} "
                       f"| – | – | – | – | – | – | – | {r.get('error', 'failed')} |")
            continue
        out.append(f"| {r['scenario']} | {r['tool']} | {r['reports']:,} | {fmt(r['wall_s'], 2)} "
                   f"| {fmt(r.get('cpu_s'), 2)} | {fmt(r['reports_per_s'], 0)} | {fmt(r.get('reports_per_s_track'), 0)} "
                   f"| {fmt(r.get('mean_gospa_m'), 1)} | {fmt(r.get('mean_missed'), 2)} "
                   f"| {fmt(r.get('mean_false'), 2)} | {fmt(r.get('id_switches'))} | {r.get('scorer', '–')} |")
    # Ratios.
    by = {}
    for r in rows:
        by.setdefault(r["scenario"], {})[r["tool"]] = r
    ratio_lines = []
    for name, d in by.items():
        s, p = d.get("skywatch"), d.get("stonesoup")
        if s and p and s.get("ok") and p.get("ok"):
            ratio_lines.append(
                f"| {name} | {ratio(s.get('reports_per_s'), p.get('reports_per_s'), 1)} "
                f"| {ratio(s.get('reports_per_s'), p.get('reports_per_s_track'), 1)} "
                f"| {ratio(s.get('mean_gospa_m'), p.get('mean_gospa_m'))} |")
    if ratio_lines:
        out.append("")
        out.append("| scenario | throughput Skywatch/StoneSoup (wall) | Skywatch (wall) / StoneSoup (tracking only) "
                   "| GOSPA Skywatch/StoneSoup (lower is better) |")
        out.append("|---|---:|---:|---:|")
        out += ratio_lines
    notes = []
    for r in rows:
        if r["tool"] == "stonesoup" and r.get("ok"):
            ign = r.get('bearing_ignored', '?')
            if r.get("reports_fed_file") is not None:
                ign = f"{r['reports'] - r['reports_fed_file']} (removed from its input file)"
            notes.append(f"{r['scenario']}: Stone Soup ignored {ign} bearing reports "
                         f"(no bearing-only initiation) and dropped {r.get('late_dropped', '?')} late reports "
                         f"(no out-of-sequence handling).")
    if notes:
        out.append("")
        out += ["- " + n for n in notes]
    md = "\n".join(out)
    print(md)
    with open(os.path.join(a.runs_dir, "compare.json"), "w") as f:
        json.dump({"machine": mi, "rows": rows, "args": vars(a)}, f, indent=1)
    if a.out_md:
        with open(a.out_md, "w") as f:
            f.write(md + "\n")
    return 0 if all(r.get("ok") for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
