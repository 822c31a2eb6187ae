"""PostgreSQL (unaccent, full text, pg_trgm) and SQLite FTS5 give the same top results on the corpus."""

import pytest

from catalog_service.search.folding import fold
from catalog_service.testing import CORPUS, PROVIDERS, CatalogApi, Personas
from hues_shared.testing.apps import RunningService

pytestmark = pytest.mark.postgres

QUERIES = [
    {"q": "pho bo hue"},
    {"q": "PHỞ BÒ HUẾ"},
    {"q": "dai noi"},
    {"q": "Đại nội"},
    {"q": "thien mu chua"},
    {"q": "cho dong b"},
    {"q": "benh vien"},
    {"q": "benh vien trung u"},
    {"q": "chua thein mu"},
    {"q": "khach san huong giamg"},
    {"q": "dai hoc hue"},
    {"q": "bun bo"},
    {"q": "lang"},
    {"q": "hue"},
    {"q": "1.001193"},
    {"q": "chua tehin mu"},
    {"category": "tourism"},
    {"q": "hue", "category": "dining"},
    {"q": "cho", "ward_code": "19768"},
    {"lat": 16.4698, "lng": 107.5786, "sort": "distance", "limit": 5},
    {"q": "bun", "lat": 16.4698, "lng": 107.5786, "sort": "distance"},
    {"open_at": "2026-12-05T01:00:00+07:00"},
    {"open_at": "2026-12-05T18:00:00+07:00", "q": "banh canh"},
    {"open_at": "2026-12-05T10:00:00+07:00", "q": "dai noi"},
    {"open_at": "2026-12-06T10:00:00+07:00", "q": "dai noi"},
    {"open_at": "2026-12-07T00:30:00+07:00", "q": "dai noi"},
    {"open_at": "2026-12-04T10:00:00+07:00", "q": "dai noi"},
]


async def test_both_backends_return_the_same_top_results(
    catalog: RunningService, catalog_pg: RunningService, personas: Personas
) -> None:
    sqlite_api, pg_api = CatalogApi(catalog.client, personas), CatalogApi(catalog_pg.client, personas)
    await sqlite_api.seed_corpus()
    await pg_api.seed_corpus()
    for params in QUERIES:
        on_sqlite, on_pg = await sqlite_api.search(**params), await pg_api.search(**params)
        assert on_sqlite[:5] == on_pg[:5], params


async def test_postgres_folding_agrees_with_python_folding(catalog_pg: RunningService) -> None:
    """catalog_fold() (unaccent + đ) folds every corpus text as the query side does, "đ" included."""
    texts = (
        [row[1] for row in CORPUS] + [name for name, _ in PROVIDERS.values()] + ["ĐƯỜNG đi Ðà", "Co.opmart"]
    )
    async with catalog_pg.runtime.db.sessions() as session:
        from sqlalchemy import text

        for value in texts:
            folded = await session.scalar(text("SELECT catalog_fold(:v)"), {"v": value})
            assert folded == fold(value), value
