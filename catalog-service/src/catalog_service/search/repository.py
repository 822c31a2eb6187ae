"""Search queries: PostgreSQL (unaccent via catalog_fold, full text, pg_trgm) or SQLite FTS5 (embedded).

Both match the same folded terms with their own full-text index and order by the same portable keys
(phrase in the title, words in the title, title length, title, id), so they return the same results
(tests/search/test_backends.py on the shared Vietnamese corpus).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from catalog_service.offerings.models import (
    ExceptionDay,
    ExceptionSlot,
    Offering,
    OfferingStatus,
    OpeningSlot,
)
from catalog_service.providers.models import Provider, ProviderStatus
from catalog_service.search.folding import fold
from catalog_service.search.models import SearchTerm

METRES_PER_DEGREE = 111_320.0
TYPO_SIMILARITY = "0.15"  # below any one-edit change of a 5+ letter word; exact distance checked after
FTS = sa.table("offering_search", sa.column("offering_id"), sa.column("title"), sa.column("extra"))


@dataclass
class LocalMoment:
    """An instant in Vietnam's time zone, as the open-now filter needs it."""

    day: date
    weekday: int
    minute: int


@dataclass
class SearchFilter:
    groups: list[list[tuple[str, bool]]] = field(default_factory=list)  # AND of (OR of (term, is_prefix))
    phrase: str = ""
    category_codes: set[str] | None = None
    ward_code: str | None = None
    provider_id: str | None = None
    open_at: LocalMoment | None = None
    near: tuple[float, float] | None = None
    radius_m: float | None = None
    by_distance: bool = False


def _dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


async def index_offering(session: AsyncSession, *, offering_id: str, title: str, extra: str) -> None:
    """Add the offering's words to the vocabulary and (SQLite) rewrite its FTS5 row."""
    words = {w for w in (fold(title) + " " + fold(extra)).split() if len(w) <= 60}
    dialect = _dialect(session)
    if words:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(SearchTerm).on_conflict_do_nothing(index_elements=["term"])
        await session.execute(statement, [{"term": w, "length": len(w)} for w in sorted(words)])
    if dialect != "postgresql":
        await session.execute(sa.delete(FTS).where(FTS.c.offering_id == offering_id))
        await session.execute(
            sa.insert(FTS).values(offering_id=offering_id, title=fold(title), extra=fold(extra))
        )


async def get_terms_like(session: AsyncSession, *, terms: Sequence[str]) -> set[str]:
    """Vocabulary words that may be one edit from any of `terms` (the caller checks the exact distance).

    One statement for every word of the query; PostgreSQL narrows with the trigram index.
    """
    if not terms:
        return set()
    conditions: list[sa.ColumnElement[bool]] = [
        SearchTerm.length.between(len(t) - 1, len(t) + 1) for t in terms
    ]
    if _dialect(session) == "postgresql":
        await session.execute(
            sa.select(sa.func.set_config("pg_trgm.similarity_threshold", TYPO_SIMILARITY, True))
        )
        conditions = [sa.and_(c, SearchTerm.term.op("%")(t)) for c, t in zip(conditions, terms, strict=True)]
    return set((await session.scalars(sa.select(SearchTerm.term).where(sa.or_(*conditions)))).all())


def _open_at(moment: LocalMoment) -> sa.ColumnElement[bool]:
    yesterday = moment.day - timedelta(days=1)
    origin = sa.case(
        (OpeningSlot.spill, sa.literal(yesterday, sa.Date)), else_=sa.literal(moment.day, sa.Date)
    )
    replaced = sa.exists().where(
        ExceptionDay.offering_id == OpeningSlot.offering_id, ExceptionDay.on_date == origin
    )
    regular = sa.exists().where(
        OpeningSlot.offering_id == Offering.id,
        OpeningSlot.weekday == moment.weekday,
        OpeningSlot.start_minute <= moment.minute,
        OpeningSlot.end_minute > moment.minute,
        ~replaced,
    )
    special = sa.exists().where(
        ExceptionSlot.offering_id == Offering.id,
        ExceptionSlot.on_date == moment.day,
        ExceptionSlot.start_minute <= moment.minute,
        ExceptionSlot.end_minute > moment.minute,
    )
    return sa.or_(regular, special)


def _title_hits(flt: SearchFilter) -> sa.ColumnElement[int]:
    """How many query words the title itself holds: the same expression on both backends."""
    padded = " " + Offering.search_title + " "
    hits: list[sa.ColumnElement[int]] = []
    for group in flt.groups:
        found = sa.or_(*(padded.like(f"% {term}%" if prefix else f"% {term} %") for term, prefix in group))
        hits.append(sa.case((found, 1), else_=0))
    return sum(hits[1:], hits[0])


def _text_match(
    session: AsyncSession, query: sa.Select[Offering, Provider], flt: SearchFilter
) -> sa.Select[Offering, Provider]:
    """The query restricted to offerings whose text holds every word (or a neighbour of it)."""
    if _dialect(session) == "postgresql":
        tsquery = " & ".join(
            "(" + " | ".join(f"{term}:*" if prefix else term for term, prefix in group) + ")"
            for group in flt.groups
        )
        ts = sa.func.to_tsquery(sa.literal_column("'simple'::regconfig"), tsquery)
        return query.where(sa.literal_column("offerings.search_vector").op("@@")(ts))
    match = " AND ".join(
        "(" + " OR ".join(f'"{term}"*' if prefix else f'"{term}"' for term, prefix in group) + ")"
        for group in flt.groups
    )
    fts: sa.ColumnElement[Any] = sa.literal_column("offering_search")
    return query.join(FTS, FTS.c.offering_id == Offering.id).where(fts.op("MATCH")(match))


async def search(
    session: AsyncSession, *, flt: SearchFilter, offset: int, limit: int
) -> Sequence[tuple[Offering, Provider]]:
    """Published offerings of active providers matching every filter, best first (or nearest first)."""
    query = (
        sa.select(Offering, Provider)
        .join(Provider, Provider.id == Offering.provider_id)
        .where(Offering.status == OfferingStatus.PUBLISHED, Provider.status == ProviderStatus.ACTIVE)
    )
    if flt.category_codes is not None:
        query = query.where(Offering.category_code.in_(sorted(flt.category_codes)))
    if flt.ward_code is not None:
        query = query.where(Offering.ward_code == flt.ward_code)
    if flt.provider_id is not None:
        query = query.where(Offering.provider_id == flt.provider_id)
    if flt.open_at is not None:
        query = query.where(_open_at(flt.open_at))
    order: list[Any] = []
    if flt.near is not None:
        lat, lng = flt.near
        squash = math.cos(math.radians(lat))  # equirectangular: exact enough within a city
        query = query.where(Offering.latitude.is_not(None))
        if flt.radius_m is not None:
            dlat = flt.radius_m / METRES_PER_DEGREE
            dlng = dlat / max(squash, 0.01)
            query = query.where(Offering.latitude.between(lat - dlat, lat + dlat))
            query = query.where(Offering.longitude.between(lng - dlng, lng + dlng))
        if flt.by_distance:
            dy, dx = Offering.latitude - lat, (Offering.longitude - lng) * squash
            order.append(dy * dy + dx * dx)
    if flt.groups:
        query = _text_match(session, query, flt)
        boost = sa.case(
            (Offering.search_title == flt.phrase, 3),
            (Offering.search_title.like(flt.phrase + "%"), 2),
            (Offering.search_title.like("% " + flt.phrase + "%"), 1),
            else_=0,
        )
        # Rank: the whole query as the title (or its start, or inside it), then how many words the
        # title holds, then shorter (more specific) titles; portable, so both backends agree.
        order += [boost.desc(), _title_hits(flt).desc(), sa.func.length(Offering.search_title)]
    # Byte order of the folded title: PostgreSQL's locale collation would order differently from SQLite.
    title = Offering.search_title.collate("C") if _dialect(session) == "postgresql" else Offering.search_title
    order += [title, Offering.title, Offering.id]
    rows = (await session.execute(query.order_by(*order).offset(offset).limit(limit))).all()
    return [(offering, provider) for offering, provider in rows]
