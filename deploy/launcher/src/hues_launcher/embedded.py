"""Embedded mode: every service and the gateway as separate ASGI apps on their own ports, in one process.

Each service keeps its own SQLite file under var/ and they share one in-memory event bus, so the
event flow (outbox -> bus -> consumer group -> inbox) is the same as with Kafka.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
from collections.abc import Iterator
from typing import Any

import uvicorn
from fastapi import FastAPI

from hues_launcher.registry import GATEWAY, SERVICES, AppEntry
from hues_launcher.sockets import app_sockets
from hues_shared.app import ServiceRuntime
from hues_shared.context import service_var
from hues_shared.events.bus import InMemoryBus
from hues_shared.migrations import upgrade
from hues_shared.problems import ProblemError
from hues_shared.settings import ServiceSettings

logger = logging.getLogger("hues.launcher")


class EmbeddedServer(uvicorn.Server):
    """A uvicorn server that leaves signal handling to the launcher, which stops all servers together."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _unless_set_in_environment(entry: AppEntry, values: dict[str, Any]) -> dict[str, Any]:
    """Keep what the operator set explicitly (e.g. GATEWAY_UPSTREAM_IDENTITY_URL); derive the rest."""
    prefix = str(entry.settings_class().model_config.get("env_prefix", ""))
    return {key: value for key, value in values.items() if f"{prefix}{key}".upper() not in os.environ}


# Embedded mode is the developer's platform: it says so explicitly, because the settings' own default
# is production (which refuses the built-in keys and the console OTP outbox).
DEVELOPMENT = {"environment": "development"}


def embedded_settings() -> dict[str, ServiceSettings]:
    """Settings of every app, wired to each other: one port change (IDENTITY_PORT) is enough."""
    base = {
        name: entry.settings(**_unless_set_in_environment(entry, DEVELOPMENT))
        for name, entry in SERVICES.items()
    }
    identity_url = f"http://{base['identity'].host}:{base['identity'].port}"
    gateway = GATEWAY.settings()
    public_base_url = gateway.public_base_url or f"http://{gateway.host}:{gateway.port}"
    tokens = {
        # The issuer is the public entry too: discovery tells clients only public URLs (issue 14, item 1);
        # the keys are still fetched from identity directly.
        "jwt_issuer": public_base_url,
        "jwks_url": f"{identity_url}/.well-known/jwks.json",
        # What clients are told (discovery, links): the gateway, the one public entry (issue 14, item 1).
        "public_base_url": public_base_url,
    }
    # Partner client-credentials tokens come from integration-service (docs/integration.md).
    integration_url = f"http://{base['integration'].host}:{base['integration'].port}"
    wired: dict[str, ServiceSettings] = {
        name: entry.settings(
            **_unless_set_in_environment(
                entry,
                {
                    **DEVELOPMENT,
                    **tokens,
                    **({"partner_issuer": integration_url} if name == "integration" else {}),
                },
            )
        )
        for name, entry in SERVICES.items()
    }
    upstreams = {f"upstream_{name}_url": f"http://{s.host}:{s.port}" for name, s in base.items()}
    partners = {
        "partner_issuer": integration_url,
        "partner_jwks_url": f"{integration_url}/v1/oauth/jwks.json",
    }
    wired["gateway"] = GATEWAY.settings(
        **_unless_set_in_environment(GATEWAY, {**DEVELOPMENT, **tokens, **upstreams, **partners})
    )
    return wired


async def prepare_service(name: str, settings: ServiceSettings, bus: InMemoryBus) -> tuple[FastAPI, int, str]:
    """Migrate, seed and build one service app; returns (app, port, host)."""
    entry = SERVICES[name]
    service_var.set(name)  # migration and seed lines name their app
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
    settings = embedded_settings()
    # Every port first: one already in use stops the launch here, in one line naming its variable.
    sockets: dict[str, list[socket.socket]] = {}
    try:
        for name, entry in [*SERVICES.items(), ("gateway", GATEWAY)]:
            sockets[name] = app_sockets(entry, settings[name])
    except BaseException:
        for bound in sockets.values():
            for sock in bound:
                sock.close()
        raise
    apps: list[tuple[str, FastAPI, str, int]] = []
    for name in SERVICES:
        app, port, host = await asyncio.create_task(prepare_service(name, settings[name], bus))
        apps.append((name, app, host, port))
    gateway_settings = settings["gateway"]
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

    tasks = []
    for server, (name, *_) in zip(servers, apps, strict=True):
        token = service_var.set(name)  # the task copies the context: its start-up and uvicorn lines name it
        tasks.append(asyncio.create_task(server.serve(sockets=sockets[name]), name=f"serve:{name}"))
        service_var.reset(token)
    while not all(server.started for server in servers):
        if any(task.done() for task in tasks):
            stop_all()
            break
        await asyncio.sleep(0.05)
    else:
        print_urls(apps)
        print_notices(apps)
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


def print_notices(apps: list[tuple[str, FastAPI, str, int]]) -> None:
    """What a service asked the operator to read (a generated bootstrap password), after everything else."""
    for _, app, _, _ in apps:
        runtime = getattr(app.state, "runtime", None)
        for notice in getattr(runtime, "notices", []):
            print(notice, flush=True)
