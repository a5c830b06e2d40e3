#!/usr/bin/env python3
# Origin: copied from /work/shared/tools/validate-scenario.py (the project's
# shared reference validator for docs/scenario-v1.md), so that tests and CI can run the
# independent checker from inside the repository; only this header was added.
"""Check that a directory is a valid skywatch-scenario/1 scenario (spec: shared/formats/scenario-v1.md).

Usage: validate-scenario.py SCENARIO_DIR   -> exit 0 and a summary line if valid, else exit 1 with the first errors.
"""
import json, math, sys, os

def fail(errs):
    for e in errs[:20]:
        print("invalid:", e)
    print(f"{len(errs)} errors")
    sys.exit(1)

def num(o, k, lo=-math.inf, hi=math.inf, req=True):
    if k not in o:
        return f"missing {k}" if req else None
    v = o[k]
    if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v):
        return f"{k} not a finite number"
    if not (lo <= v <= hi):
        return f"{k}={v} out of range [{lo},{hi}]"
    return None

def main(d):
    errs = []
    meta = json.load(open(os.path.join(d, "scenario.json")))
    if meta.get("format") != "skywatch-scenario/1":
        errs.append(f"scenario.json format={meta.get('format')!r}")
    for k in ("epoch", "sensors"):
        if k not in meta:
            errs.append(f"scenario.json missing {k}")
    sensors = {}
    for s in meta.get("sensors", []):
        for k, lo, hi in (("lat", -90, 90), ("lon", -180, 180), ("alt_m", -1000, 1e5)):
            e = num(s, k, lo, hi)
            if e: errs.append(f"sensor {s.get('id')}: {e}")
        if s.get("kind") not in ("radar", "acoustic", "adsb", "other"):
            errs.append(f"sensor {s.get('id')}: kind {s.get('kind')!r}")
        sensors[s.get("id")] = s
    kinds = {}
    last_rx = -math.inf
    n = 0
    with open(os.path.join(d, "reports.jsonl")) as f:
        for i, line in enumerate(f, 1):
            if not line.strip():
                continue
            n += 1
            try:
                r = json.loads(line)
            except Exception as ex:
                errs.append(f"reports.jsonl:{i}: bad JSON {ex}"); continue
            for k in ("t", "rx"):
                e = num(r, k)
                if e: errs.append(f"reports.jsonl:{i}: {e}")
            if isinstance(r.get("t"), (int, float)) and isinstance(r.get("rx"), (int, float)):
                if r["rx"] < r["t"] - 1e-9: errs.append(f"reports.jsonl:{i}: rx < t")
                if r["rx"] < last_rx - 1e-9: errs.append(f"reports.jsonl:{i}: not ordered by rx")
                last_rx = r["rx"]
            k = r.get("kind"); kinds[k] = kinds.get(k, 0) + 1
            if "sensor" not in r: errs.append(f"reports.jsonl:{i}: missing sensor")
            if k == "radar":
                for kk, lo, hi in (("range_m", 0, 1e7), ("az_deg", 0, 360), ("sd_range_m", 0, 1e6), ("sd_az_deg", 0, 360)):
                    e = num(r, kk, lo, hi)
                    if e: errs.append(f"reports.jsonl:{i}: {e}")
                for kk, lo, hi in (("el_deg", -90, 90), ("sd_el_deg", 0, 180)):
                    e = num(r, kk, lo, hi, req=False)
                    if e: errs.append(f"reports.jsonl:{i}: {e}")
                if r.get("sensor") not in sensors: errs.append(f"reports.jsonl:{i}: radar sensor {r.get('sensor')!r} not in scenario.json")
            elif k == "bearing":
                for kk, lo, hi in (("az_deg", 0, 360), ("sd_az_deg", 0, 360)):
                    e = num(r, kk, lo, hi)
                    if e: errs.append(f"reports.jsonl:{i}: {e}")
                if "from_lat" not in r and r.get("sensor") not in sensors:
                    errs.append(f"reports.jsonl:{i}: bearing without position and unknown sensor")
            elif k == "position":
                for kk, lo, hi in (("lat", -90, 90), ("lon", -180, 180), ("alt_m", -1000, 1e5), ("sd_h_m", 0, 1e6), ("sd_v_m", 0, 1e6)):
                    e = num(r, kk, lo, hi)
                    if e: errs.append(f"reports.jsonl:{i}: {e}")
            elif k == "adsb":
                if not isinstance(r.get("icao"), str) or len(r.get("icao", "")) != 6:
                    errs.append(f"reports.jsonl:{i}: icao")
                for kk, lo, hi in (("lat", -90, 90), ("lon", -180, 180), ("alt_m", -1000, 1e5)):
                    e = num(r, kk, lo, hi)
                    if e: errs.append(f"reports.jsonl:{i}: {e}")
            else:
                errs.append(f"reports.jsonl:{i}: kind {k!r}")
            if len(errs) > 50: fail(errs)
    nt = 0
    tp = os.path.join(d, "truth.jsonl")
    if os.path.exists(tp):
        last_t = -math.inf
        with open(tp) as f:
            for i, line in enumerate(f, 1):
                if not line.strip(): continue
                nt += 1
                r = json.loads(line)
                for kk, lo, hi in (("t", -1e9, 1e9), ("lat", -90, 90), ("lon", -180, 180), ("alt_m", -1000, 1e5), ("vn", -1e4, 1e4), ("ve", -1e4, 1e4), ("vu", -1e4, 1e4)):
                    e = num(r, kk, lo, hi)
                    if e: errs.append(f"truth.jsonl:{i}: {e}")
                if r.get("class") not in ("drone", "decoy", "aircraft", "bird"): errs.append(f"truth.jsonl:{i}: class {r.get('class')!r}")
                if r.get("t", 0) < last_t: errs.append(f"truth.jsonl:{i}: not ordered by t")
                last_t = r.get("t", last_t)
                if len(errs) > 50: fail(errs)
    if errs: fail(errs)
    print(f"valid: {n} reports {dict(sorted(kinds.items()))}, {nt} truth lines, {len(sensors)} sensors")

if __name__ == "__main__":
    main(sys.argv[1])
