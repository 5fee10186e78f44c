"""A world map drawn on the server: the countries of the `world-atlas` npm package (Natural Earth 1:110m,
TopoJSON, ISO 3166 numeric ids) projected with the Equal Earth projection into SVG path data.

Projecting here rather than in the browser keeps the map a plain SVG of links: it works without
JavaScript, under the strict CSP, and weighs ~60 kB instead of the TopoJSON (108 kB) plus d3-geo and
topojson-client. The outlines are decoded once per process and kept (``countries()``).

Equal Earth: Šavrič, Patterson and Jenny (2018), "The Equal Earth map projection", IJGIS 33(3) — the
same formula as d3-geo's ``geoEqualEarth``.
"""
from __future__ import annotations

import itertools
import json
import math
import threading
from dataclasses import dataclass
from pathlib import Path

ATLAS_FILE = "world-atlas/countries-110m.json"
LEFT_OUT = {"010"}  # Antarctica: a third of the map's height for a continent with no State in the graph

A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2
WIDTH = 960.0  # the SVG's user units across; the height follows from the projection's aspect ratio

_lock = threading.Lock()
_cache: dict[str, tuple[Country, ...]] = {}


@dataclass(frozen=True)
class Country:
    id: str      # ISO 3166-1 numeric, zero-padded ("056"), as world-atlas has it
    name: str    # Natural Earth's short name ("Belgium")
    path: str    # SVG path data in the map's user units


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """(x, y) in radians-scale units, y up."""
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


X_MAX = equal_earth(180, 0)[0]
Y_MAX = equal_earth(0, 90)[1]
Y_MIN = equal_earth(0, -60)[1]  # Antarctica is left out: the map stops south of Tierra del Fuego
SCALE = WIDTH / (2 * X_MAX)
HEIGHT = round((Y_MAX - Y_MIN) * SCALE, 1)


def to_svg(lon: float, lat: float) -> tuple[float, float]:
    x, y = equal_earth(lon, lat)
    return (x + X_MAX) * SCALE, (Y_MAX - y) * SCALE


def _arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs as lists of (lon, lat): delta-decoded and un-quantised."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    out = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        out.append(points)
    return out


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """A ring from its arcs (``~i`` is arc i reversed); each arc after the first repeats the last point."""
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _unwrap(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The ring with continuous longitudes: a step across the antimeridian (179° to -179°) becomes a
    2° step to 181°, so the ring no longer runs the whole width of the map."""
    out = [ring[0]]
    for lon, lat in ring[1:]:
        previous = out[-1][0]
        while lon - previous > 180:
            lon -= 360
        while lon - previous < -180:
            lon += 360
        out.append((lon, lat))
    return out


def _clip(ring: list[tuple[float, float]], edge: float, keep_west: bool) -> list[tuple[float, float]]:
    """Sutherland–Hodgman against the meridian ``edge``; the part kept runs along the edge wherever it
    was cut, with a point every degree so that the projected edge curves as the map's border does."""
    def inside(p):
        return p[0] <= edge if keep_west else p[0] >= edge

    out: list[tuple[float, float]] = []

    def add(p):
        if out and out[-1][0] == edge == p[0]:
            a = out[-1][1]
            steps = int(abs(p[1] - a))
            out.extend((edge, a + (p[1] - a) * k / steps) for k in range(1, steps))
        out.append(p)

    for i, current in enumerate(ring):
        previous = ring[i - 1]
        if inside(current):
            if not inside(previous):
                add(_crossing(previous, current, edge))
            add(current)
        elif inside(previous):
            add(_crossing(previous, current, edge))
    return out


def _crossing(a, b, edge):
    t = (edge - a[0]) / (b[0] - a[0])
    return edge, a[1] + t * (b[1] - a[1])


def _split(ring: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring that crosses the antimeridian (Russia, Fiji) as its two sides, each within -180..180."""
    ring = _unwrap(ring)
    west, east = min(p[0] for p in ring), max(p[0] for p in ring)
    if west >= -180 and east <= 180:
        return [ring]
    shift = -360 if east > 180 else 360
    edge = 180 if east > 180 else -180
    moved = [(lon + shift, lat) for lon, lat in ring]
    return [r for r in (_clip(ring, edge, keep_west=edge == 180), _clip(moved, -edge, keep_west=edge == -180))
            if len(r) >= 3]


def _number(tenths: int) -> str:
    """A length in tenths of a unit, as short as SVG allows: 25 → "2.5", -5 → "-.5", 30 → "3"."""
    if tenths % 10 == 0:
        return str(tenths // 10)
    sign, magnitude = ("-" if tenths < 0 else ""), abs(tenths)
    whole, tenth = divmod(magnitude, 10)
    return f"{sign}{whole or ''}.{tenth}"


def _pair(dx: int, dy: int) -> str:
    x, y = _number(dx), _number(dy)
    return x + ("" if y.startswith("-") else " ") + y


def _path(rings: list[list[tuple[float, float]]]) -> str:
    """Rings as SVG path data: the first point absolute, then relative steps between points rounded to a
    tenth of a unit (the rounding does not drift: each step is between rounded positions)."""
    parts = []
    for ring in rings:
        points: list[tuple[int, int]] = []
        for lon, lat in ring:
            x, y = to_svg(lon, max(lat, -60.0))
            point = (round(x * 10), round(y * 10))
            if not points or point != points[-1]:  # points that round to the same spot add bytes, not shape
                points.append(point)
        if len(points) < 3:
            continue
        steps = [_pair(b[0] - a[0], b[1] - a[1]) for a, b in itertools.pairwise(points)]
        parts.append("M" + _pair(*points[0]) + "l" + "".join(
            s if i == 0 or s.startswith("-") else " " + s for i, s in enumerate(steps)) + "z")
    return "".join(parts)


def decode(topology: dict) -> tuple[Country, ...]:
    arcs = _arcs(topology)
    out = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        cid = geometry.get("id")
        if not cid or cid in LEFT_OUT or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        rings = [piece for polygon in polygons for ring in polygon for piece in _split(_ring(ring, arcs))]
        out.append(Country(cid, geometry.get("properties", {}).get("name", cid), _path(rings)))
    return tuple(out)


def countries(node_modules: Path) -> tuple[Country, ...] | None:
    """The projected countries, or None when world-atlas is not installed (`npm ci`)."""
    source = node_modules / ATLAS_FILE
    key = str(source)
    if key not in _cache:
        if not source.is_file():
            return None
        with _lock:
            if key not in _cache:
                _cache[key] = decode(json.loads(source.read_text(encoding="utf-8")))
    return _cache[key]
