"""The migrations build exactly the tables the models describe, on SQLite and on real PostgreSQL."""

from pathlib import Path

import pytest

from feedback_service.db import metadata
from feedback_service.main import MIGRATIONS_DIR
from hues_shared.migrations import upgrade
from hues_shared.testing.migrations import schema_differences


async def _differences(url: str) -> list:
    return await schema_differences(url, metadata)


async def test_sqlite_migrations_match_the_models(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/m.db"
    await upgrade(MIGRATIONS_DIR, url)
    assert await _differences(url) == []


@pytest.mark.postgres
async def test_postgresql_migrations_match_the_models(postgres_url: str) -> None:
    await upgrade(MIGRATIONS_DIR, postgres_url)
    assert await _differences(postgres_url) == []
