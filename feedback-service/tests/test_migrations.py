"""The migrations build exactly the tables the models describe, on SQLite and on real PostgreSQL."""

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from feedback_service.db import metadata
from feedback_service.main import MIGRATIONS_DIR
from hues_shared.db import create_engine
from hues_shared.migrations import upgrade


async def _differences(url: str) -> list:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": False}), metadata
                )
            )
    finally:
        await engine.dispose()


async def test_sqlite_migrations_match_the_models(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/m.db"
    await upgrade(MIGRATIONS_DIR, url)
    assert await _differences(url) == []


@pytest.mark.postgres
async def test_postgresql_migrations_match_the_models(postgres_url: str) -> None:
    await upgrade(MIGRATIONS_DIR, postgres_url)
    assert await _differences(postgres_url) == []
