"""The migrations build exactly the tables the models describe, on SQLite and on real PostgreSQL.

Search objects that exist only in migrations are left out of the comparison on purpose: the SQLite
FTS5 table (and its shadow tables), PostgreSQL's generated `search_vector` and the GIN indexes.
"""

from pathlib import Path
from typing import Any

import pytest

import catalog_service.main  # noqa: F401  (imports every model)
from catalog_service.db import metadata
from catalog_service.main import MIGRATIONS_DIR
from hues_shared.migrations import upgrade
from hues_shared.testing.migrations import schema_differences

MIGRATION_ONLY = {"search_vector", "ix_offerings_search_vector", "ix_search_terms_trigram"}


def _modelled(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    return not (name and (name in MIGRATION_ONLY or name.startswith("offering_search")))


async def _differences(url: str) -> list[Any]:
    return await schema_differences(url, metadata, include_object=_modelled)


async def test_sqlite_migrations_match_the_models(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/m.db"
    await upgrade(MIGRATIONS_DIR, url)
    assert await _differences(url) == []


@pytest.mark.postgres
async def test_postgresql_migrations_match_the_models(postgres_url: str) -> None:
    await upgrade(MIGRATIONS_DIR, postgres_url)
    assert await _differences(postgres_url) == []
