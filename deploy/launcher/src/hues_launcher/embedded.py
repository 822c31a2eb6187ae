"""Embedded mode: every service and the gateway as separate ASGI apps on their own ports, in one process.

Each service keeps its own SQLite file under var/ and they share one in-memory event bus, so the
event flow (outbox -> bus -> consumer group -> inbox) is the same as with Kafka.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterator

import uvicorn
from fastapi import FastAPI

from hues_launcher.registry import GATEWAY, SERVICES
from hues_shared.app import ServiceRuntime
from hues_shared.events.bus import InMemoryBus
from hues_shared.migrations import upgrade
from hues_shared.problems import ProblemError

logger = logging.getLogger("hues.launcher")


class EmbeddedServer(uvicorn.Server):
    """A uvicorn server that leaves signal handling to the launcher, which stops all servers together."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def prepare_service(name: str, bus: InMemoryBus) -> tuple[FastAPI, int, str]:
    """Migrate, seed and build one service app; returns (app, port, host)."""
    entry = SERVICES[name]
    settings = entry.settings()
    app = entry.create_app(settings, bus=bus)
    runtime: ServiceRuntime = app.state.runtime
    await upgrade(runtime.definition.migrations_dir, settings.database_url)
    if runtime.definition.seed is not None:
        try:
            await runtime.definition.seed(runtime)
        except ProblemError as exc:  # e.g. a bootstrap password that breaks the policy (Art. 9.1)
            raise SystemExit(
                f"{name}: seeding failed: {exc.detail or exc.title} {exc.extensions or ''}"
            ) from exc
    return app, settings.port, settings.host


async def run_embedded() -> None:
    bus = InMemoryBus()
    apps: list[tuple[str, FastAPI, str, int]] = []
    for name in SERVICES:
        app, port, host = await prepare_service(name, bus)
        apps.append((name, app, host, port))
    gateway_settings = GATEWAY.settings()
    apps.append(
        (
            "gateway",
            GATEWAY.create_app(gateway_settings, bus=bus),
            gateway_settings.host,
            gateway_settings.port,
        )
    )

    servers = [
        EmbeddedServer(
            uvicorn.Config(
                app, host=host, port=port, log_config=None, access_log=False, timeout_graceful_shutdown=10
            )
        )
        for _, app, host, port in apps
    ]
    loop = asyncio.get_running_loop()

    def stop_all() -> None:
        logger.info("stopping the platform")
        for server in servers:
            server.should_exit = True

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop_all)

    tasks = [
        asyncio.create_task(server.serve(), name=f"serve:{name}")
        for server, (name, *_) in zip(servers, apps, strict=True)
    ]
    while not all(server.started for server in servers):
        if any(task.done() for task in tasks):
            stop_all()
            break
        await asyncio.sleep(0.05)
    else:
        print_urls(apps)
    results = await asyncio.gather(*tasks, return_exceptions=True)
    failures = [r for r in results if isinstance(r, BaseException)]
    if failures or any(not server.started for server in servers):
        raise SystemExit("the platform did not start cleanly; see the log above (is a port already in use?)")


def print_urls(apps: list[tuple[str, FastAPI, str, int]]) -> None:
    lines = ["", "Hue-S platform is running (embedded mode). Ctrl-C stops it.", ""]
    for name, _, host, port in apps:
        label = "gateway (public entry)" if name == "gateway" else f"{name}-service"
        lines.append(f"  {label:<24} http://{host}:{port}   docs: http://{host}:{port}/docs")
    lines.append("")
    print("\n".join(lines), flush=True)
