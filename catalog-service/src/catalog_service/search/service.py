"""Search over the catalogue (Art. 6.4): Vietnamese text without diacritics or case, word order free,
prefixes for type-ahead, one typo in words of 5+ letters; filters; nearest first; open now in Vietnam."""

from __future__ import annotations

import math
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from catalog_service.categories import repository as categories
from catalog_service.offerings import opening
from catalog_service.offerings.service import to_out
from catalog_service.search import repository
from catalog_service.search.folding import TYPO_MIN_LENGTH, tokens, within_one_edit
from catalog_service.search.repository import LocalMoment, SearchFilter
from catalog_service.search.schemas import OfferingHit, SortOrder
from hues_shared.pagination import Page, decode_cursor, encode_cursor
from hues_shared.problems import BadRequest
from hues_shared.types import utcnow

MAX_WORDS = 8
EARTH_RADIUS_M = 6_371_000.0


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle (haversine) distance in metres."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


async def _term_groups(session: AsyncSession, words: list[str]) -> list[list[tuple[str, bool]]]:
    """Each word or its one-edit neighbours in the vocabulary; the last word also as a prefix (type-ahead)."""
    long_words = [w for w in dict.fromkeys(words) if len(w) >= TYPO_MIN_LENGTH]
    candidates = sorted(await repository.get_terms_like(session, terms=long_words))
    groups = []
    for index, word in enumerate(words):
        group = [(word, index == len(words) - 1)]
        if len(word) >= TYPO_MIN_LENGTH:
            group += [(term, False) for term in candidates if term != word and within_one_edit(word, term)]
        groups.append(group)
    return groups


async def search_offerings(
    session: AsyncSession,
    *,
    q: str | None,
    category: str | None,
    ward_code: str | None,
    provider_id: str | None,
    open_now: bool,
    open_at: datetime | None,
    lat: float | None,
    lng: float | None,
    radius_m: float | None,
    sort: SortOrder,
    cursor: str | None,
    limit: int,
) -> Page[OfferingHit]:
    if (lat is None) != (lng is None):
        raise BadRequest("Give both lat and lng.", slug="incomplete-location")
    if lat is None and (sort == "distance" or radius_m is not None):
        raise BadRequest("Sorting by distance or a radius needs lat and lng.", slug="location-required")
    if open_at is not None and open_at.tzinfo is None:
        raise BadRequest("open_at needs a UTC offset (ISO 8601).", slug="naive-time")
    words = tokens(q or "")[:MAX_WORDS]
    flt = SearchFilter(
        groups=await _term_groups(session, words),
        phrase=" ".join(words),
        ward_code=ward_code,
        provider_id=provider_id,
        near=(lat, lng) if lat is not None and lng is not None else None,
        radius_m=radius_m,
        by_distance=sort == "distance",
    )
    if category is not None:
        flt.category_codes = await categories.get_codes_under(session, code=category)
    moment = open_at or (utcnow() if open_now else None)
    if moment is not None:
        local = opening.local(moment)
        flt.open_at = LocalMoment(
            day=local.date(), weekday=local.weekday(), minute=local.hour * 60 + local.minute
        )
    values = decode_cursor(cursor)
    offset = int(values[0]) if values and isinstance(values[0], int) and values[0] >= 0 else 0
    rows = await repository.search(session, flt=flt, offset=offset, limit=limit + 1)
    hits = []
    for offering, provider in rows[:limit]:
        full = to_out(offering, provider, at=moment)
        located = flt.near is not None and offering.latitude is not None and offering.longitude is not None
        hits.append(
            OfferingHit(
                **full.model_dump(include=set(OfferingHit.model_fields) - {"distance_m"}),
                distance_m=round(distance_m(flt.near, (offering.latitude, offering.longitude)), 1)  # type: ignore[arg-type]
                if located
                else None,
            )
        )
    if flt.near is not None and radius_m is not None:
        hits = [h for h in hits if h.distance_m is not None and h.distance_m <= radius_m]
    return Page(items=hits, next_cursor=encode_cursor([offset + limit]) if len(rows) > limit else None)
