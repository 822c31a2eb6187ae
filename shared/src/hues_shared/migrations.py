"""Alembic per service, on PostgreSQL and SQLite alike, runnable from the CLI or from async code."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command, context
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import create_async_engine

from hues_shared.db import create_engine

logger = logging.getLogger("hues.migrations")


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


# One number for every service: each service has its own database, so the lock never spans two.
MIGRATION_LOCK_KEY = 0x6875_6573_6D69_67  # "huesmig"


async def upgrade(migrations_dir: Path, url: str, revision: str = "head") -> None:
    """Migrate a service's database to `revision` from inside a running event loop.

    On PostgreSQL the upgrade holds a transaction-level advisory lock, so two migration jobs started
    at once (a re-applied Kubernetes Job, `docker compose up --scale`) run one after the other and the
    second finds the schema already at head.
    """
    await ensure_database(url)
    config = alembic_config(migrations_dir, url)
    engine = create_engine(url)

    def run(connection: Connection) -> None:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    try:
        async with engine.begin() as connection:
            await connection.run_sync(run)
    finally:
        await engine.dispose()


def head_revisions(migrations_dir: Path) -> set[str]:
    """The revisions the code expects (normally one head)."""
    script = ScriptDirectory.from_config(alembic_config(migrations_dir, "sqlite://"))
    return set(script.get_heads())


def revisions_on(connection: Connection) -> set[str]:
    """The revisions a database is at (run_sync on any connection); empty when never migrated."""
    return set(MigrationContext.configure(connection).get_current_heads())


async def current_revisions(url: str) -> set[str]:
    """The revisions the database at `url` is at (`hues migrate --check`)."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(revisions_on)
    finally:
        await engine.dispose()


async def wait_for_database(
    url: str, *, attempts: int = 30, first_delay: float = 0.5, max_delay: float = 5.0
) -> None:
    """Retry the first connection with capped exponential backoff (a database still starting up).

    The PostgreSQL image's init server answers on its socket before it listens on TCP; a migration
    started then would fail once and stay failed. Raises the last error after `attempts`.
    """
    parsed = make_url(url)
    probe_url = parsed.set(database="postgres") if parsed.get_backend_name() == "postgresql" else parsed
    delay = first_delay
    for attempt in range(1, attempts + 1):
        engine = create_async_engine(probe_url)
        try:
            async with engine.connect() as connection:
                await connection.execute(sa.text("SELECT 1"))
            return
        except (OSError, sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.DBAPIError) as exc:
            if attempt == attempts:
                raise
            logger.warning(
                "database not reachable yet (%s); retry %d/%d in %.1f s", exc, attempt, attempts, delay
            )
            await asyncio.sleep(delay)
            delay = min(delay * 2, max_delay)
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
