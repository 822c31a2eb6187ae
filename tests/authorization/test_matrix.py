"""The authorization matrix (issue 15): every route of every app and every persona, as declared in
tests/authorization/matrix/<app>.toml, directly against each service, through the gateway, and against
the gateway alone (upstreams that let everything through), so a check forgotten in either layer shows.

How to read and extend it: docs/testing.md, "The authorization matrix".
"""

from __future__ import annotations

import pytest

from hues_launcher.registry import SERVICES
from tests.authorization.matrix import GATEWAY_APP, Row, load_all
from tests.authorization.platform import (
    Platform,
    fill,
    gateway_own_routes,
    openapi_routes,
    placeholder,
    public_path,
)
from tests.authorization.runner import REFUSALS, disagreements, report

MATRIX = load_all()
SERVICE_ROWS = [row for app, rows in MATRIX.items() if app != GATEWAY_APP for row in rows]
GATEWAY_ROWS = MATRIX.get(GATEWAY_APP, [])
APPS = [*SERVICES, GATEWAY_APP]


def by_id(rows: list[Row]) -> list[pytest.param]:  # type: ignore[valid-type]
    return [pytest.param(row, id=row.id) for row in rows]


def service_path(platform: Platform, row: Row) -> str:
    """The row's path with its ids filled: seeded objects first, else placeholders, the row's own last."""
    route = openapi_routes(platform.services[row.app].app).get(row.key)
    assert route is not None, f"{row.id}: no such route in the app's OpenAPI"
    values = {name: placeholder(name, schema) for name, schema in route.params.items()}
    values |= {k: v for k, v in platform.path_values.get(row.app, {}).items() if k in route.params}
    return fill(row.path, values | row.path_params)


@pytest.mark.parametrize("app", APPS)
async def test_every_route_has_one_row_and_every_row_names_a_route(platform: Platform, app: str) -> None:
    if app == GATEWAY_APP:
        routes = set(gateway_own_routes(platform.gateway.app))
    else:
        routes = set(openapi_routes(platform.services[app].app))
    declared = {row.key for row in MATRIX.get(app, [])}
    missing = sorted(routes - declared)
    unknown = sorted(declared - routes)
    assert not missing, f"routes of {app} without a row in tests/authorization/matrix/{app}.toml: {missing}"
    assert not unknown, f"rows of tests/authorization/matrix/{app}.toml naming no route of {app}: {unknown}"


def test_every_app_has_a_matrix_file() -> None:
    assert set(APPS) <= set(MATRIX), f"apps without a matrix file: {sorted(set(APPS) - set(MATRIX))}"


@pytest.mark.parametrize("row", by_id(SERVICE_ROWS))
async def test_service_itself_enforces_the_row(platform: Platform, row: Row) -> None:
    """Directly against the service: a check the service forgets shows even if the gateway has it."""
    path = service_path(platform, row)
    client = platform.services[row.app].client
    found = await disagreements(client, row, path, platform.headers)
    assert not found, report(row, "the service directly", path, found)


@pytest.mark.parametrize("row", by_id([row for row in SERVICE_ROWS if public_path(row.app, row.path)]))
async def test_gateway_routes_the_row_to_its_service(platform: Platform, row: Row) -> None:
    public = public_path(row.app, row.path)
    assert public is not None
    assert platform.routed_to(row.app, row.method, public) == row.path, (
        f"{row.id}: the gateway does not send {row.method} {public} to {row.app} {row.path}"
    )


@pytest.mark.parametrize("row", by_id([row for row in SERVICE_ROWS if public_path(row.app, row.path)]))
async def test_platform_enforces_the_row_through_the_gateway(platform: Platform, row: Row) -> None:
    """What a client sees: the gateway's refusal or the service's, both 401/403; allowed callers pass."""
    path = service_path(platform, row)
    public = public_path(row.app, path)
    assert public is not None
    statuses = (lambda persona: row.denied_statuses(persona) | REFUSALS) if row.deny_status else None
    found = await disagreements(
        platform.gateway.client, row, public, platform.headers, refusal_statuses=statuses
    )
    assert not found, report(row, "the gateway", public, found)


@pytest.mark.parametrize("row", by_id([row for row in SERVICE_ROWS if public_path(row.app, row.path)]))
async def test_gateway_alone_refuses_its_share_and_passes_the_allowed(platform: Platform, row: Row) -> None:
    """Upstreams that answer 200 to anything: the personas in the row's gateway share (`gateway_deny`, by
    default no token and an expired password) are refused by the gateway itself; allowed ones get through."""
    public = public_path(row.app, service_path(platform, row))
    assert public is not None
    share = row.gateway_refuses()
    found = await disagreements(
        platform.gateway_alone.client,
        row,
        public,
        platform.headers,
        refused=lambda persona: persona in share,
        refusal_statuses=lambda persona: frozenset({401}) if persona == "anonymous" else frozenset({403}),
    )
    assert not found, report(row, "the gateway alone", public, found)


@pytest.mark.parametrize("row", by_id(GATEWAY_ROWS))
async def test_gateway_own_route_enforces_the_row(platform: Platform, row: Row) -> None:
    found = await disagreements(platform.gateway.client, row, row.path, platform.headers)
    assert not found, report(row, "the gateway's own route", row.path, found)
