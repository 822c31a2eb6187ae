"""Ward centres: loaded from a reference file (the DIC's GIS layer), matched against CAP areas."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from notification_service.areas import repository
from notification_service.areas.geometry import Point, in_area
from notification_service.areas.models import WardCentre


def read_centres_file(path: Path) -> list[WardCentre]:
    """CSV with the header ward_code,name,latitude,longitude (one row per ward of identity's list)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            WardCentre(
                ward_code=row["ward_code"].strip().zfill(5),
                name=row["name"].strip(),
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
            )
            for row in csv.DictReader(handle)
        ]


async def load_centres(session: AsyncSession, *, path: Path) -> int:
    centres = read_centres_file(path)
    await repository.upsert(session, centres=centres)
    return len(centres)


async def wards_in_area(
    session: AsyncSession, *, polygons: Sequence[Sequence[Point]], circles: Sequence[tuple[Point, float]]
) -> list[str]:
    """Codes of the wards whose centre lies in the area (an account's home ward centre stands for it)."""
    return [
        c.ward_code
        for c in await repository.get_all(session)
        if in_area((c.latitude, c.longitude), polygons=polygons, circles=circles)
    ]
