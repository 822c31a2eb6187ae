"""The distributed mode's database set-up, run for real on this machine's PostgreSQL (issue 13 items 2-4).

`deploy/postgres/service-database.psql` is the exact script the compose PostgreSQL runs on a new volume
(through 01-service-databases.sh); these tests run it with psql (hues_launcher.distributed), then
`hues migrate` / `hues seed` / `hues migrate --check` as the processes compose and the Jobs start.
"""

from __future__ import annotations

import asyncio
import base64
import os
import re
import secrets
import shutil
import string
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from hues_launcher.distributed import ServiceDatabase, drop_service_database, provision_service_database
from hues_shared.migrations import upgrade, wait_for_database
from hues_shared.testing.infrastructure import PostgresServer, free_port, unavailable
from tests.deploy.test_compose import INTERPOLATION, environment_of, mount_secrets

pytestmark = pytest.mark.postgres

REPO = Path(__file__).resolve().parents[2]
HUES = str(Path(sys.executable).with_name("hues"))


def _admin(postgres_server: PostgresServer) -> str:
    if shutil.which("psql") is None:
        unavailable("psql (PostgreSQL client) is not installed")
    return postgres_server.admin_url.render_as_string(hide_password=False)


@pytest.fixture
def service_database(postgres_server: PostgresServer) -> Iterator[ServiceDatabase]:
    """A database and its two roles, made by the deploy script (through the launcher), dropped afterwards."""
    admin = _admin(postgres_server)
    database = provision_service_database(admin, f"hues_roles_{uuid.uuid4().hex[:8]}")
    yield database
    drop_service_database(admin, database.name)


def _hues(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [HUES, *args], env={**os.environ, **env}, capture_output=True, text=True, check=False, timeout=120
    )


def _feedback_env(db: ServiceDatabase) -> dict[str, str]:
    return {
        "FEEDBACK_ENVIRONMENT": "development",
        "FEEDBACK_DATABASE_URL": db.app_url,
        "FEEDBACK_MIGRATION_DATABASE_URL": db.owner_url,
    }


async def _execute(url: str, statement: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(sa.text(statement))
    finally:
        await engine.dispose()


async def test_runtime_role_reads_and_writes_but_cannot_change_the_schema(service_database):
    db = service_database
    migrated = _hues("migrate", "feedback", env=_feedback_env(db))
    assert migrated.returncode == 0, migrated.stderr
    seeded = _hues("seed", "feedback", env=_feedback_env(db))
    assert seeded.returncode == 0, seeded.stderr

    await _execute(db.app_url, "DELETE FROM idempotency_keys")  # DML on the owner's tables works
    with pytest.raises(sa.exc.DBAPIError, match="permission denied"):
        await _execute(db.app_url, "CREATE TABLE intruder (id int)")
    with pytest.raises(sa.exc.DBAPIError, match="must be owner"):
        await _execute(db.app_url, "DROP TABLE idempotency_keys")
    engine = create_async_engine(db.app_url)
    try:
        async with engine.connect() as connection:
            powers = (
                await connection.execute(
                    sa.text(
                        "SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles"
                        " WHERE rolname = current_user"
                    )
                )
            ).one()
    finally:
        await engine.dispose()
    assert tuple(powers) == (False, False, False)


def test_check_refuses_an_unmigrated_schema_and_passes_at_head(service_database):
    env = _feedback_env(service_database)
    before = _hues("migrate", "feedback", "--check", env=env)
    assert before.returncode == 1
    assert "run `hues migrate feedback` first" in before.stderr
    assert _hues("migrate", "feedback", env=env).returncode == 0
    after = _hues("migrate", "feedback", "--check", env=env)
    assert after.returncode == 0, after.stderr


async def test_two_migrations_started_at_once_both_succeed(service_database):
    """A re-applied Job beside a running one, or `compose up --scale`: the advisory lock serialises them."""
    from feedback_service.main import MIGRATIONS_DIR

    await asyncio.gather(*(upgrade(MIGRATIONS_DIR, service_database.owner_url) for _ in range(3)))
    assert _hues("migrate", "feedback", "--check", env=_feedback_env(service_database)).returncode == 0


async def _forward(port: int, target: tuple[str, int], delay: float) -> asyncio.Server:
    """A TCP listener that appears only after `delay` (a database server still starting up)."""
    await asyncio.sleep(delay)

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        finally:
            writer.close()

    async def handle(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        server_reader, server_writer = await asyncio.open_connection(*target)
        await asyncio.gather(
            pipe(client_reader, server_writer), pipe(server_reader, client_writer), return_exceptions=True
        )

    return await asyncio.start_server(handle, "127.0.0.1", port)


@pytest.fixture
async def late_postgres(postgres_server: PostgresServer) -> AsyncIterator[str]:
    port = free_port()
    admin = postgres_server.admin_url
    starting = asyncio.create_task(_forward(port, (admin.host or "127.0.0.1", admin.port or 5432), 1.5))
    yield admin.set(host="127.0.0.1", port=port).render_as_string(hide_password=False)
    server = await starting
    server.close()


async def test_migration_waits_for_a_database_that_is_still_starting(late_postgres):
    """Compose on a fresh volume: the first connection is refused, the retry with backoff gets through."""
    await wait_for_database(late_postgres, attempts=10, first_delay=0.3, max_delay=0.6)


async def test_migration_gives_up_after_its_attempts_with_the_last_error():
    with pytest.raises(OSError):
        await wait_for_database(
            f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/postgres",
            attempts=2,
            first_delay=0.05,
        )


def _operator_values() -> dict[str, str]:
    """What an operator following deploy/.env.example would put in .env."""
    alphabet = string.ascii_letters + string.digits

    def key() -> str:
        return base64.urlsafe_b64encode(os.urandom(32)).decode()

    return {
        "IDENTITY_DATA_ENCRYPTION_KEY": key(),
        "IDENTITY_BLIND_INDEX_KEY": key(),
        "IDENTITY_SIGNING_KEY_ENCRYPTION_KEY": key(),
        "IDENTITY_SMS_GATEWAY_URL": "https://sms-gateway.example/api/send",
        "HUES_BOOTSTRAP_ADMIN_PASSWORD": "Hs-" + "".join(secrets.choice(alphabet) for _ in range(20)) + "-9a",
    }


def test_identity_migrate_and_seed_succeed_with_the_compose_environment(service_database, tmp_path):
    """Issue 13 item 1: the bootstrap defaults compose ships pass the seed (the login is a mobile number).

    The environment is identity-migrate's, exactly as docker-compose.yml writes it, with the operator's
    values from .env; only the database URLs are mapped onto this test server's roles.
    """
    with (REPO / "docker-compose.yml").open(encoding="utf-8") as handle:
        compose = yaml.safe_load(handle)
    container = compose["services"]["identity-migrate"]
    operator = _operator_values()

    def resolve(match: re.Match[str]) -> str:
        name, op, arg = match.group("name"), match.group("op"), match.group("arg")
        if name in operator:
            return operator[name]
        if op in (":-", "-"):
            return arg or ""
        return f"set-{name.lower()}"

    env = {variable: INTERPOLATION.sub(resolve, raw) for variable, raw in environment_of(container).items()}
    env = mount_secrets(compose, container, env, tmp_path, operator)
    env["IDENTITY_DATABASE_URL"] = service_database.app_url
    env["IDENTITY_MIGRATION_DATABASE_URL"] = service_database.owner_url
    assert env["HUES_BOOTSTRAP_ADMIN_USERNAME"] == "0900000001"
    result = subprocess.run(
        ["/bin/sh", "-c", " ".join(container["command"])],
        env={**os.environ, "PATH": f"{Path(HUES).parent}:{os.environ['PATH']}", **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "seed: identity done" in result.stderr


def _script(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    path = REPO / "deploy" / "backup" / name
    return subprocess.run([str(path), *args], capture_output=True, text=True, check=False, timeout=120)


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _count(url: str, table: str) -> int:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return int(await connection.scalar(sa.text(f"SELECT count(*) FROM {table}")) or 0)
    finally:
        await engine.dispose()


async def test_backup_and_restore_round_trip_keeps_data_and_privileges(postgres_server, tmp_path):
    """Issue 13 item 12: the documented procedure, run as written: dump, new database, restore, check."""
    admin = _admin(postgres_server)
    made: list[ServiceDatabase] = []
    try:
        for side in ("live", "restored"):
            made.append(provision_service_database(admin, f"hues_backup_{side}_{uuid.uuid4().hex[:6]}"))
        live_owner, live_app = made[0].owner_url, made[0].app_url
        env = {"FEEDBACK_ENVIRONMENT": "development", "FEEDBACK_DATABASE_URL": live_app,
               "FEEDBACK_MIGRATION_DATABASE_URL": live_owner}  # fmt: skip
        assert _hues("migrate", "feedback", env=env).returncode == 0
        assert _hues("seed", "feedback", env=env).returncode == 0
        categories = await _count(live_app, "report_categories")
        assert categories > 0

        dump = tmp_path / "feedback.dump"
        backup = _script("pg-backup.sh", _libpq(live_owner), str(dump))
        assert backup.returncode == 0, backup.stderr
        restored_owner, restored_app = made[1].owner_url, made[1].app_url
        restore = _script("pg-restore.sh", _libpq(restored_owner), str(dump))
        assert restore.returncode == 0, restore.stderr

        restored_env = {**env, "FEEDBACK_DATABASE_URL": restored_app,
                        "FEEDBACK_MIGRATION_DATABASE_URL": restored_owner}  # fmt: skip
        assert _hues("migrate", "feedback", "--check", env=restored_env).returncode == 0
        assert await _count(restored_app, "report_categories") == categories  # the runtime role reads it
        await _execute(restored_app, "DELETE FROM idempotency_keys")  # and writes it
    finally:
        for database in made:
            drop_service_database(admin, database.name)
