"""Per-step GOSPA with Stone Soup's GOSPAMetric, for the scorer's cross-check test.

Reads JSON on stdin: {"c": 1000.0, "steps": [{"truth": [[e, n], ..], "tracks": [[e, n], ..]}, ..]}
Writes JSON on stdout: one [distance, localisation, missed, false] per step, where
distance = sqrt(localisation + missed + false) and missed/false are already the
(c^2 / 2) * count parts, as Stone Soup reports them for alpha = 2.
"""

import datetime
import json
import sys

from stonesoup.metricgenerator.ospametric import GOSPAMetric
from stonesoup.types.array import StateVector
from stonesoup.types.state import State


def main():
    data = json.load(sys.stdin)
    metric = GOSPAMetric(c=data["c"], p=2, switching_penalty=0.0)
    ts = datetime.datetime(2026, 11, 25, 3, 0, 0)
    out = []
    for step in data["steps"]:
        truth = [State(StateVector(p), timestamp=ts) for p in step["truth"]]
        tracks = [State(StateVector(p), timestamp=ts) for p in step["tracks"]]
        if not truth and not tracks:
            # Stone Soup needs at least one state to find the time; both empty is 0.
            out.append([0.0, 0.0, 0.0, 0.0])
            continue
        single, _ = metric.compute_gospa_metric(tracks, truth)
        v = single.value
        out.append([float(v["distance"]), float(v["localisation"]), float(v["missed"]), float(v["false"])])
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
