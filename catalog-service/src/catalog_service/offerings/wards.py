"""Hue's 40 wards and communes (province code 46) from `vietnam-provinces`, never typed in."""

from __future__ import annotations

from functools import cache

from vietnam_provinces import ProvinceCode, Ward

HUE_PROVINCE_CODE = 46


@cache
def hue_ward_names() -> dict[str, str]:
    """Ward code (5 digits) -> name, e.g. "19768" -> "Phường Phú Xuân"."""
    return {str(int(w.code)).zfill(5): w.name for w in Ward.iter_by_province(ProvinceCode(HUE_PROVINCE_CODE))}
