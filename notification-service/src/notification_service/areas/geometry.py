"""CAP 1.2 area geometry (WGS 84 points "lat,lon"): point in polygon and point in circle, no GIS server."""

from __future__ import annotations

import math
from collections.abc import Sequence

EARTH_RADIUS_KM = 6371.0088
Point = tuple[float, float]  # (latitude, longitude)


def in_polygon(point: Point, polygon: Sequence[Point]) -> bool:
    """Ray casting on the plane; fine at a province's scale (no polygon crosses the antimeridian here)."""
    lat, lon = point
    inside = False
    j = len(polygon) - 1
    for i in range(len(polygon)):
        lat_i, lon_i = polygon[i]
        lat_j, lon_j = polygon[j]
        if (lat_i > lat) != (lat_j > lat):
            crossing = (lon_j - lon_i) * (lat - lat_i) / (lat_j - lat_i) + lon_i
            if lon < crossing:
                inside = not inside
        j = i
    return inside


def distance_km(a: Point, b: Point) -> float:
    """Great-circle (haversine) distance."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def in_circle(point: Point, centre: Point, radius_km: float) -> bool:
    return distance_km(point, centre) <= radius_km


def in_area(
    point: Point, *, polygons: Sequence[Sequence[Point]], circles: Sequence[tuple[Point, float]]
) -> bool:
    """A CAP <area> is the union of its polygons and circles."""
    return any(in_polygon(point, p) for p in polygons) or any(in_circle(point, c, r) for c, r in circles)
