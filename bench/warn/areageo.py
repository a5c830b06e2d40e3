"""Geometry shared by the warning scripts: a scenario's areas.geojson as polygons, point
in polygon (ray casting, holes honoured), distance to the outer ring and between two
points, in km on a local flat approximation; and a run's warning intervals. Pure
standard library."""
import json
import math


def load_areas(scen):
    """Area code -> list of polygons (each a list of rings of [lon, lat])."""
    areas = {}
    for f in json.load(open(f"{scen}/areas.geojson"))["features"]:
        g = f["geometry"]; code = str(f["properties"]["code"])
        areas[code] = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
    return areas


def on_intervals(run):
    """A run's `on` intervals from its alerts.jsonl, in the order they closed, then the
    ones still open: (area, start, end), end None while still on at the run's end."""
    ints, open_ = [], {}
    for line in open(f"{run}/alerts.jsonl"):
        r = json.loads(line)
        if r["state"] == "on":
            open_[r["area"]] = r["t"]
        else:
            ints.append((r["area"], open_.pop(r["area"]), r["t"]))
    return ints + [(a, s, None) for a, s in open_.items()]


def inside(polys, lon, lat):
    for poly in polys:
        ring = poly[0]; c = False
        j = len(ring) - 1
        for i in range(len(ring)):
            xi, yi = ring[i]; xj, yj = ring[j]
            if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
                c = not c
            j = i
        if c:
            holes = any(_in(h, lon, lat) for h in poly[1:])
            if not holes: return True
    return False

def _in(ring, lon, lat):
    c = False; j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]; xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi: c = not c
        j = i
    return c

def dist_km(polys, lon, lat):
    best = 1e9
    kx = 111.32 * math.cos(math.radians(lat)); ky = 110.57
    for poly in polys:
        for ring in poly[:1]:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
                ax, ay = (x1 - lon) * kx, (y1 - lat) * ky
                bx, by = (x2 - lon) * kx, (y2 - lat) * ky
                dx, dy = bx - ax, by - ay
                L = dx*dx + dy*dy
                u = 0 if L == 0 else max(0, min(1, -(ax*dx + ay*dy) / L))
                best = min(best, math.hypot(ax + u*dx, ay + u*dy))
    return best


def point_km(a, b):
    """Horizontal distance in km between two (lat, lon) points in degrees, on the local
    flat approximation about `a` (good to a few per cent at 150 km)."""
    kx = 111.32 * math.cos(math.radians(a[0]))
    return math.hypot((a[0] - b[0]) * 110.57, (a[1] - b[1]) * kx)


def nearest_object(objs, lat, lon, within_m):
    """The object of `objs` (dicts with lat, lon) nearest to (lat, lon) horizontally and
    closer than `within_m` metres, on the local flat approximation, and its distance in
    metres; (None, within_m) if there is none."""
    kx = 111_320.0 * math.cos(math.radians(lat))
    best, bd = None, within_m
    for o in objs:
        d = math.hypot((o["lat"] - lat) * 110_574.0, (o["lon"] - lon) * kx)
        if d < bd:
            best, bd = o, d
    return best, bd
