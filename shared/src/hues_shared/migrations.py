"""Alembic per service, on PostgreSQL and SQLite alike, runnable from the CLI or from async code."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command, context
from alembic.config import Config
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import create_async_engine

from hues_shared.db import create_engine


def alembic_config(migrations_dir: Path, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def ensure_database(url: str) -> None:
    """Create the service's PostgreSQL database if it does not exist yet (SQLite creates its file)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    admin = create_async_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            exists = await connection.scalar(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}
            )
            if not exists:
                await connection.execute(sa.text(f'CREATE DATABASE "{parsed.database}"'))
    finally:
        await admin.dispose()


async def upgrade(migrations_dir: Path, url: str, revision: str = "head") -> None:
    """Migrate a service's database to `revision` from inside a running event loop."""
    await ensure_database(url)
    config = alembic_config(migrations_dir, url)
    engine = create_engine(url)

    def run(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    try:
        async with engine.begin() as connection:
            await connection.run_sync(run)
    finally:
        await engine.dispose()


def run_migrations_env(target_metadata: sa.MetaData | None) -> None:
    """Body of every service's migrations/env.py."""
    config = context.config

    def configure_and_run(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()

    connection: Any = config.attributes.get("connection")
    if connection is not None:
        configure_and_run(connection)
        return

    async def run_async() -> None:
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
        async with engine.begin() as conn:
            await conn.run_sync(configure_and_run)
        await engine.dispose()

    asyncio.run(run_async())


def create_messaging_tables(connection: Connection) -> None:
    """Initial-migration step shared by every service: outbox, inbox, dead letters, idempotency keys.

    A later change to these tables ships as a new migration in every service, never as an edit here.
    """
    from hues_shared.db import service_metadata
    from hues_shared.events.tables import messaging_tables

    metadata = service_metadata()
    messaging_tables(metadata)
    metadata.create_all(connection)
