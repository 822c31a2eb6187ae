"""Do a service's migrations build exactly the tables its models describe? (each test_migrations.py)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData

from hues_shared.db import create_engine


async def schema_differences(
    url: str, metadata: MetaData, *, include_object: Callable[..., bool] | None = None
) -> list[Any]:
    """Alembic's autogenerate diff between the migrated database at `url` and `metadata` ([] = identical);
    `include_object` leaves out what only the migrations make (search vectors, FTS tables)."""
    options: dict[str, Any] = {"compare_type": False}
    if include_object is not None:
        options["include_object"] = include_object
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync, opts=options), metadata)
            )
    finally:
        await engine.dispose()
