"""Distances on the ground, for duplicate detection (pure)."""

from __future__ import annotations

import math

EARTH_RADIUS_METRES = 6_371_000.0


def distance_metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_METRES * math.asin(math.sqrt(a))


def bounding_box(
    latitude: float, longitude: float, radius_metres: float
) -> tuple[float, float, float, float]:
    """south, west, north, east of a box that contains the circle (the index narrows, the radius decides)."""
    d_lat = math.degrees(radius_metres / EARTH_RADIUS_METRES)
    d_lon = math.degrees(radius_metres / (EARTH_RADIUS_METRES * math.cos(math.radians(latitude))))
    return latitude - d_lat, longitude - d_lon, latitude + d_lat, longitude + d_lon
