"""Run a service app in-process for tests: migrated database, chosen bus, test token keys, lifespan on."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Literal

import httpx
import uvicorn
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from hues_shared.app import ServiceRuntime
from hues_shared.events.bus import EventBus
from hues_shared.migrations import upgrade
from hues_shared.settings import ServiceSettings
from hues_shared.testing.infrastructure import free_port
from hues_shared.testing.tokens import SigningKeys, static_verifier


@dataclass
class RunningService:
    app: FastAPI
    client: httpx.AsyncClient
    runtime: ServiceRuntime


@asynccontextmanager
async def running_service(
    create_app: Callable[..., FastAPI],
    settings: ServiceSettings,
    *,
    keys: SigningKeys,
    bus: EventBus | None = None,
    migrate: bool = True,
    **app_kwargs: Any,
) -> AsyncIterator[RunningService]:
    """Start one service on `settings.database_url` (migrated by its own migrations) behind an ASGI client."""
    app = create_app(settings, bus=bus, token_verifier=static_verifier(keys), **app_kwargs)
    runtime: ServiceRuntime = app.state.runtime
    if migrate:
        await upgrade(runtime.definition.migrations_dir, settings.database_url)
    async with LifespanManager(app, startup_timeout=30, shutdown_timeout=30):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield RunningService(app=app, client=client, runtime=runtime)


@asynccontextmanager
async def serving_on_loopback(
    app: Any, *, lifespan: Literal["auto", "on", "off"] = "off"
) -> AsyncIterator[str]:
    """Serve an ASGI app with uvicorn on a free loopback port in this event loop; yields its base URL.

    For callers that must reach an in-process app over real HTTP (the gateway's upstream clients). The
    default `lifespan="off"` suits apps already started by `running_service`.
    """
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan=lifespan)
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
