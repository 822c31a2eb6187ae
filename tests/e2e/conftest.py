"""Fixtures that start the platform as OS processes: on PostgreSQL + Kafka, or embedded (`hues run`)."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from hues_launcher.distributed import drop_service_database, provision_service_database
from hues_launcher.registry import ALL_APPS, SERVICES
from hues_shared.testing.infrastructure import PostgresServer, TansuBroker, free_port
from tests.e2e.platform_processes import HUES, PlatformProcesses

BOOTSTRAP_ADMIN_PHONE = "0900000001"  # staff log in by phone
BOOTSTRAP_ADMIN_PASSWORD = f"Song-Huong#{random.randint(10_000, 99_999)}z"


@pytest.fixture
async def distributed_platform(
    tmp_path: Path, postgres_server: PostgresServer, kafka_broker: TansuBroker, redis_url: str
) -> AsyncIterator[PlatformProcesses]:
    """Six processes as the distributed mode runs them (hues_launcher.distributed): per service a
    PostgreSQL database with a schema-owner role (migrate, seed) and a DML-only runtime role (serve),
    events on the Kafka-protocol broker, the gateway's counters and denylist in Redis."""
    admin_url = postgres_server.admin_url.render_as_string(hide_password=False)
    run = uuid.uuid4().hex[:6]
    databases = {
        name: await asyncio.to_thread(provision_service_database, admin_url, f"e2e_{name}_{run}")
        for name in SERVICES
    }
    platform = PlatformProcesses(
        log_dir=tmp_path,
        database_urls={name: db.app_url for name, db in databases.items()},
        migration_database_urls={name: db.owner_url for name, db in databases.items()},
        kafka_bootstrap=kafka_broker.bootstrap,
        redis_url=redis_url,
        redis_key_prefix=f"e2e:{run}",
        extra_env={
            "HUES_BOOTSTRAP_ADMIN_USERNAME": BOOTSTRAP_ADMIN_PHONE,
            "HUES_BOOTSTRAP_ADMIN_PASSWORD": BOOTSTRAP_ADMIN_PASSWORD,
        },
    )
    try:
        for name in SERVICES:
            await asyncio.to_thread(platform.migrate, name)
            await asyncio.to_thread(platform.seed, name)
        for name in ALL_APPS:
            platform.start(name)
        for name in ALL_APPS:
            await asyncio.to_thread(platform.wait_ready, name)
        yield platform
    finally:
        platform.stop_all()
        for db in databases.values():
            await asyncio.to_thread(drop_service_database, admin_url, db.name)


@dataclass
class EmbeddedPlatform:
    workdir: Path
    ports: dict[str, int]
    process: subprocess.Popen[bytes]

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def log(self) -> str:
        return (self.workdir / "run.log").read_text(errors="replace")


def start_embedded(workdir: Path, ports: dict[str, int]) -> EmbeddedPlatform:
    """Start `hues run` in `workdir` (its var/ holds the SQLite files) and wait for the gateway.

    Starting it again in the same folder with the same ports is a restart of the same platform.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.endswith(("_PORT", "_DATABASE_URL", "_URL", "_JWT_ISSUER"))
    }
    for name, port in ports.items():
        # only the ports: `hues run` wires issuer, JWKS and the gateway's upstreams from them
        env[("GATEWAY_" if name == "gateway" else f"{name.upper()}_") + "PORT"] = str(port)
    env["HUES_BOOTSTRAP_ADMIN_USERNAME"] = BOOTSTRAP_ADMIN_PHONE
    env["HUES_BOOTSTRAP_ADMIN_PASSWORD"] = BOOTSTRAP_ADMIN_PASSWORD
    with (workdir / "run.log").open("ab") as log:
        process = subprocess.Popen([HUES, "run"], cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT)
    platform = EmbeddedPlatform(workdir=workdir, ports=ports, process=process)
    try:
        deadline = 90.0
        while deadline > 0:
            if process.poll() is not None:
                raise RuntimeError(f"hues run exited {process.returncode}:\n{platform.log()[-4000:]}")
            try:
                if httpx.get(platform.url("gateway") + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            subprocess.run(["sleep", "0.2"], check=False)
            deadline -= 0.2
        else:
            raise TimeoutError(platform.log()[-4000:])
    except BaseException:
        stop_embedded(platform, signal.SIGKILL)
        raise
    return platform


def stop_embedded(platform: EmbeddedPlatform, sig: int = signal.SIGINT) -> int:
    """Send `sig` (SIGINT is Ctrl-C) and wait for the process to end; returns its exit status."""
    process = platform.process
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return int(process.returncode)


@pytest.fixture
def embedded_platform(tmp_path: Path) -> Iterator[EmbeddedPlatform]:
    """`hues run` in a scratch folder (its var/ holds the SQLite files), on free ports."""
    platform = start_embedded(tmp_path, {name: free_port() for name in ALL_APPS})
    try:
        yield platform
    finally:
        stop_embedded(platform)


def citizen_registration(number: str = "046090123456") -> dict[str, object]:
    """A valid citizen registration: a male born in 1990, CCCD registered in Thua Thien Hue (046)."""
    return {
        "full_name": "Nguyễn Văn An",
        "birth_date": "1990-05-17",
        "sex": "male",
        "phone": f"09{random.randint(10_000_000, 99_999_999)}",
        "document": {"type": "cccd", "number": number},
        "password": "Hue-S#2026song",
    }


def random_cccd() -> str:
    return f"046090{random.randint(0, 999_999):06d}"
