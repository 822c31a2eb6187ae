"""Hue city's 40 wards and communes (province code 46), from `vietnam-provinces`, never typed in."""

from __future__ import annotations

from dataclasses import dataclass

from vietnam_provinces import Province, ProvinceCode, Ward

HUE_PROVINCE_CODE = 46


@dataclass(frozen=True)
class WardRecord:
    code: str
    name: str
    division_type: str
    codename: str


def hue_wards() -> list[WardRecord]:
    """The current wards and communes of Thanh pho Hue (two-tier local government since July 2025)."""
    province = Province.from_code(ProvinceCode(HUE_PROVINCE_CODE))
    return sorted(
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
