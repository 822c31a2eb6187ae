"""Hue's territory: the wards and communes (from `vietnam-provinces`, never typed in) and its bounds."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from vietnam_provinces import Province, ProvinceCode, Ward

HUE_PROVINCE_CODE = 46
# Thừa Thiên Huế (now Thành phố Huế) spans 15°59' to 16°45' N and 107°00' to 108°13' E; a small margin
# keeps the coast and the border communes inside.
HUE_BOUNDS = (15.95, 106.95, 16.80, 108.25)  # south, west, north, east


@dataclass(frozen=True)
class WardRecord:
    code: str
    name: str
    division_type: str
    codename: str


@cache
def hue_wards() -> tuple[WardRecord, ...]:
    """The current wards and communes of Hue (two-tier local government since July 2025), by code."""
    province = Province.from_code(ProvinceCode(HUE_PROVINCE_CODE))
    return tuple(
        sorted(
            (
                WardRecord(
                    code=str(int(ward.code)).zfill(5),
                    name=ward.name,
                    division_type=str(ward.division_type.value),
                    codename=ward.codename,
                )
                for ward in Ward.iter_all()
                if ward.province_code == province.code
            ),
            key=lambda w: w.code,
        )
    )


def is_hue_ward(code: str) -> bool:
    return any(ward.code == code for ward in hue_wards())


def inside_hue(latitude: float, longitude: float) -> bool:
    """The point lies within Hue's bounding box (the check a report's location must pass)."""
    south, west, north, east = HUE_BOUNDS
    return south <= latitude <= north and west <= longitude <= east
