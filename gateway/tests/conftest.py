"""Gateway test fixtures: real upstream HTTP servers on loopback, and gateways built over them."""

from __future__ import annotations

import importlib
import sys

# pytest's importlib mode imports this file as `gateway.tests.conftest` and registers the gateway/ folder as a
# namespace package named `gateway`, hiding the real package (gateway/src/gateway). Put the real one back
# before anything imports from it (harmless when the real package was imported first).
if not getattr(sys.modules.get("gateway"), "__file__", None):
    sys.modules.pop("gateway", None)
    importlib.import_module("gateway")

import asyncio
import json
import os
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from asgi_lifespan import LifespanManager
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.types import ASGIApp

from gateway.config import UPSTREAM_NAMES, GatewaySettings
from gateway.main import create_app
from hues_shared.events.bus import InMemoryBus
from hues_shared.testing.infrastructure import free_port, wait_for_port
from hues_shared.testing.tokens import SigningKeys, static_verifier


def echo_app() -> FastAPI:
    """A stand-in upstream that reports what reached it, answers slowly or streams big bodies on request."""
    app = FastAPI()

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/v1/slow")
    async def slow(seconds: float = 2.0) -> dict[str, str]:
        await asyncio.sleep(seconds)
        return {"status": "late"}

    @app.get("/v1/big")
    async def big(megabytes: int = 8) -> StreamingResponse:
        async def chunks() -> AsyncIterator[bytes]:
            for _ in range(megabytes * 16):
                yield b"x" * 65_536

        return StreamingResponse(chunks(), media_type="application/octet-stream")

    @app.get("/v1/drip")
    async def drip() -> StreamingResponse:
        async def chunks() -> AsyncIterator[bytes]:
            yield b"first;"
            await asyncio.sleep(1.0)
            yield b"second"

        return StreamingResponse(chunks(), media_type="text/plain")

    @app.api_route("/v1/upload", methods=["POST", "PUT"], include_in_schema=False)
    async def upload(request: Request) -> dict[str, int]:
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
        return {"received": size}

    @app.api_route(
        "/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"], include_in_schema=False
    )
    async def echo(request: Request, path: str) -> JSONResponse:
        body = await request.body()
        return JSONResponse(
            {
                "method": request.method,
                "path": "/" + path,
                "query": request.url.query,
                "headers": {k: v for k, v in request.headers.items()},
                "header_list": [[k, v] for k, v in request.headers.items()],
                "body_bytes": len(body),
            },
            headers={"server": "upstream-internal", "x-upstream-header": "kept"},
        )

    return app


@asynccontextmanager
async def serving(app: ASGIApp, *, port: int | None = None, lifespan: str = "on") -> AsyncIterator[str]:
    """Run an ASGI app under uvicorn on a loopback port, in this event loop; yields its base URL."""
    port = port or free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan=lifespan)
    server = uvicorn.Server(config)
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


@pytest.fixture(scope="session")
async def upstream_url() -> AsyncIterator[str]:
    async with serving(echo_app()) as url:
        yield url


@pytest.fixture
def dead_url() -> str:
    """An address where nothing listens: connections are refused at once."""
    return f"http://127.0.0.1:{free_port()}"


def settings_for(urls: dict[str, str], **overrides: Any) -> GatewaySettings:
    values: dict[str, Any] = {f"upstream_{name}_url": url for name, url in urls.items()}
    values.setdefault("environment", "test")
    values.setdefault("log_json", False)
    values.update(overrides)
    return GatewaySettings(**values)


class GatewayHarness:
    """A running gateway (lifespan on) with an ASGI client, its bus and its app."""

    def __init__(self, app: FastAPI, client: httpx.AsyncClient, bus: InMemoryBus) -> None:
        self.app = app
        self.client = client
        self.bus = bus

    @property
    def runtime(self) -> Any:
        return self.app.state.runtime


MakeGateway = Callable[..., Awaitable[GatewayHarness]]


@pytest.fixture
async def make_gateway(
    upstream_url: str, test_keys: SigningKeys, tmp_path: Path
) -> AsyncIterator[MakeGateway]:
    """Factory: make_gateway(urls={...}, routes=<toml text>, **settings) -> a started gateway."""
    async with AsyncExitStack() as stack:
        made = 0

        async def make(
            *,
            urls: dict[str, str] | None = None,
            routes: str | None = None,
            bus: InMemoryBus | None = None,
            **overrides: Any,
        ) -> GatewayHarness:
            all_urls = dict.fromkeys(UPSTREAM_NAMES, upstream_url) | (urls or {})
            nonlocal made
            made += 1
            if routes is not None:
                routes_file = tmp_path / f"routes-{made}.toml"
                routes_file.write_text(routes)
                overrides["routes_file"] = routes_file
            bus = bus or InMemoryBus()
            app = create_app(
                settings_for(all_urls, **overrides), bus=bus, token_verifier=static_verifier(test_keys)
            )
            await stack.enter_async_context(LifespanManager(app))
            client = await stack.enter_async_context(
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway.test")
            )
            return GatewayHarness(app, client, bus)

        yield make


@pytest.fixture
async def gateway(make_gateway: MakeGateway) -> GatewayHarness:
    """The gateway with the packaged route table, every upstream being the echo server."""
    return await make_gateway()


def _service_env(name: str, folder: Path, port: int) -> dict[str, str]:
    prefix = name.upper()
    return os.environ | {
        f"{prefix}_DATABASE_URL": f"sqlite+aiosqlite:///{folder}/{name}.db",
        f"{prefix}_PORT": str(port),
        f"{prefix}_ENVIRONMENT": "test",
        "HUES_LOG_LEVEL": "WARNING",
    }


@pytest.fixture(scope="session")
def real_services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """catalog, feedback and notification as real OS processes (the launcher's `hues migrate` and
    `hues serve`), each on its own migrated SQLite file."""
    folder = tmp_path_factory.mktemp("services")
    hues = str(Path(sys.executable).with_name("hues"))
    envs = {name: _service_env(name, folder, free_port()) for name in ("catalog", "feedback", "notification")}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    migrations = [subprocess.Popen([hues, "migrate", n], env=env, **quiet) for n, env in envs.items()]
    assert all(m.wait(timeout=120) == 0 for m in migrations), "a service failed to migrate"
    servers = [subprocess.Popen([hues, "serve", n], env=env, **quiet) for n, env in envs.items()]
    urls = {n: f"http://127.0.0.1:{env[f'{n.upper()}_PORT']}" for n, env in envs.items()}
    try:
        for name, url in urls.items():
            assert wait_for_port(int(url.rsplit(":", 1)[1]), timeout=60), f"{name} did not start"
        yield urls
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=15)


@pytest.fixture(scope="session")
def make_echo_app() -> Callable[[], FastAPI]:
    return echo_app


@pytest.fixture(scope="session")
def serve() -> Callable[..., Any]:
    """serving(app) as a fixture: tests start extra upstreams with `async with serve(app) as url`."""
    return serving


@pytest.fixture(scope="session")
def echoed() -> Callable[[httpx.Response], dict[str, Any]]:
    """What the echo upstream saw, from a proxied 200 response."""

    def read(response: httpx.Response) -> dict[str, Any]:
        assert response.status_code == 200, response.text
        return dict(json.loads(response.text))

    return read
