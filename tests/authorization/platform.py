"""The platform in-process for the matrix: every service started once per session (migrated SQLite, test
keys), served on loopback so a real gateway can reach it, plus a gateway over a permissive stub upstream
that shows what the gateway refuses on its own."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.requests import Request
from starlette.responses import JSONResponse

from gateway.config import GatewaySettings
from gateway.main import create_app as create_gateway
from gateway.routing.matcher import NoRoute, RouteMatcher
from gateway.routing.table import load_table
from hues_launcher.registry import SERVICES
from hues_shared.events.bus import InMemoryBus
from hues_shared.settings import ServiceSettings
from hues_shared.testing.apps import RunningService, running_service, serving_on_loopback
from hues_shared.testing.tokens import SigningKeys, static_verifier
from tests.authorization import seeds
from tests.authorization.personas import UNIT_1, FreshTokens

PLACEHOLDER_ID = "00000000-0000-4000-8000-0000000000aa"
TEST_ENVIRONMENT = "test"


@dataclass(frozen=True)
class AppRoute:
    """One operation an app serves: method, path template, and its path parameters' schemas."""

    method: str
    path: str
    params: dict[str, dict[str, Any]] = field(default_factory=dict, hash=False, compare=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)


def openapi_routes(app: FastAPI) -> dict[tuple[str, str], AppRoute]:
    """Every operation of a service's own OpenAPI document."""
    routes = {}
    for path, operations in app.openapi()["paths"].items():
        for method, operation in operations.items():
            params = {
                p["name"]: p.get("schema", {}) for p in operation.get("parameters", []) if p["in"] == "path"
            }
            route = AppRoute(method.upper(), path, params)
            routes[route.key] = route
    return routes


def gateway_own_routes(app: FastAPI) -> dict[tuple[str, str], AppRoute]:
    """The gateway publishes no OpenAPI of its own routes (its document is the merged one): every APIRoute."""
    routes = {}
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute) and context.path:
            for method in context.methods or ():
                entry = AppRoute(method, context.path)
                routes[entry.key] = entry
    return routes


def placeholder(name: str, schema: dict[str, Any]) -> str:
    """A value for a path parameter the persona does not own: unit ids are unit U1's (the officer's)."""
    if name == "unit_id":
        return UNIT_1
    if schema.get("enum"):
        return str(schema["enum"][0])
    if schema.get("type") == "integer":
        return "1"
    return PLACEHOLDER_ID


def fill(path: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    return path


def public_path(service: str, path: str) -> str | None:
    """Where a service route is reached through the gateway: /v1/<service>/<rest>; the OpenID discovery
    documents stay at /.well-known/...; probes (/healthz, /readyz) are not exposed (None)."""
    if path.startswith("/v1/"):
        return f"/v1/{service}/{path.removeprefix('/v1/')}"
    if path.startswith("/.well-known/"):
        return path
    return None


def stub_upstream() -> Callable[..., Awaitable[Any]]:
    """An upstream that lets every request through (200): what is refused then, the gateway refused."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        await request.body()
        await JSONResponse({"stub": True, "path": request.url.path})(scope, receive, send)

    return app


def service_settings(name: str, folder: Path) -> ServiceSettings:
    """Settings of one service for the matrix run; apps needing more (identity's light Argon2) say so in
    seeds.SETTINGS."""
    database_url = f"sqlite+aiosqlite:///{folder}/{name}.db"
    if name in seeds.SETTINGS:
        return seeds.SETTINGS[name](folder, database_url)
    return SERVICES[name].settings(environment=TEST_ENVIRONMENT, database_url=database_url, log_json=False)


@dataclass
class Gateway:
    app: FastAPI
    client: httpx.AsyncClient
    matcher: RouteMatcher


@dataclass(repr=False)
class Platform:
    keys: SigningKeys
    services: dict[str, RunningService]
    gateway: Gateway  # upstreams = the services above
    gateway_alone: Gateway  # upstreams = the permissive stub
    path_values: dict[str, dict[str, str]]  # per service: values of path parameters (seeded objects)
    headers: Mapping[str, dict[str, str]]  # per persona, a fresh token on every lookup

    def __repr__(self) -> str:  # failure reports show fixtures; keep tokens out of them
        return f"Platform(services={sorted(self.services)})"

    def routed_to(self, service: str, method: str, public: str) -> str | None:
        """The upstream path the gateway sends `method public` to when it goes to `service`, else None."""
        try:
            match = self.gateway.matcher.match(method, public)
        except NoRoute:
            return None
        return match.upstream_path if match.route.upstream == service else None


async def _gateway(stack: AsyncExitStack, urls: dict[str, str], keys: SigningKeys) -> Gateway:
    settings = GatewaySettings(
        environment=TEST_ENVIRONMENT,
        log_json=False,
        rate_limits_enabled=False,
        **{f"upstream_{name}_url": url for name, url in urls.items()},
    )
    app = create_gateway(settings, bus=InMemoryBus(), token_verifier=static_verifier(keys))
    await stack.enter_async_context(LifespanManager(app))
    client = await stack.enter_async_context(
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway.test")
    )
    table = load_table(settings.routes_file, upstreams=settings.upstream_urls(), environment=TEST_ENVIRONMENT)
    return Gateway(app, client, RouteMatcher(table))


@asynccontextmanager
async def running_platform(folder: Path, keys: SigningKeys) -> AsyncIterator[Platform]:
    async with AsyncExitStack() as stack:
        services: dict[str, RunningService] = {}
        urls: dict[str, str] = {}
        path_values: dict[str, dict[str, str]] = {}
        for name, entry in SERVICES.items():
            service = await stack.enter_async_context(
                running_service(
                    entry.create_app, service_settings(name, folder), keys=keys, bus=InMemoryBus()
                )
            )
            services[name] = service
            urls[name] = await stack.enter_async_context(serving_on_loopback(service.app))
            seed = seeds.SEEDS.get(name)
            path_values[name] = await seed(service, keys) if seed else {}
        stub_url = await stack.enter_async_context(serving_on_loopback(stub_upstream()))
        yield Platform(
            keys=keys,
            services=services,
            gateway=await _gateway(stack, urls, keys),
            gateway_alone=await _gateway(stack, dict.fromkeys(urls, stub_url), keys),
            path_values=path_values,
            headers=FreshTokens(keys),
        )
