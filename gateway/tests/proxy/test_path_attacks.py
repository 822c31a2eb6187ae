"""Issue 7, item 1: dot segments, encoded slashes and friends never reach another route than the matched.

Sent as raw HTTP over a socket to the gateway served by uvicorn (an HTTP client would normalise the path
before sending it, hiding the attack). Every spelling must be refused with a 400 problem before any policy
runs, and must never reach an upstream.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from hues_shared.testing.tokens import SigningKeys


def recording_app(seen: list[str]) -> FastAPI:
    app = FastAPI()

    @app.api_route("/{path:path}", methods=["GET", "POST"], include_in_schema=False)
    async def record(request: Request, path: str) -> JSONResponse:
        seen.append(request.scope.get("raw_path", b"").decode("latin-1"))
        return JSONResponse({"path": request.url.path, "raw": seen[-1]})

    return app


async def raw_request(
    base_url: str, method: str, target: str, body: bytes = b""
) -> tuple[int, dict[str, Any]]:
    host, port = base_url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    head = f"{method} {target} HTTP/1.1\r\nHost: gateway.test\r\nConnection: close\r\n"
    head += f"Content-Length: {len(body)}\r\n\r\n"
    writer.write(head.encode("latin-1") + body)
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), timeout=10)
    writer.close()
    status_line, _, rest = answer.partition(b"\r\n")
    _, _, payload = rest.partition(b"\r\n\r\n")
    try:
        parsed = json.loads(payload) if payload else {}
    except ValueError:
        parsed = {"raw": payload.decode("latin-1")}
    return int(status_line.split()[1]), parsed


@pytest.fixture
async def exposed(make_gateway: Any, serve: Any) -> Any:
    seen: list[str] = []
    async with serve(recording_app(seen)) as upstream:
        urls = dict.fromkeys(("identity", "integration", "feedback", "notification", "catalog"), upstream)
        gateway = await make_gateway(urls=urls)
        async with serve(gateway.app, lifespan="off") as url:
            yield url, seen


ATTACKS = [
    ("GET", "/v1/identity/wards/../admin/accounts"),
    ("GET", "/v1/identity/wards/%2e%2e/admin/accounts"),
    ("GET", "/v1/identity/wards/%2E%2E/admin/accounts"),
    ("GET", "/v1/identity/wards/%2e%2E/admin/accounts"),  # mixed-case percent-encoding
    ("GET", "/v1/identity/wards/.%2e/admin/accounts"),
    ("GET", "/v1/identity/wards%2F..%2Fme"),
    ("GET", "/v1/identity/wards%2f..%2fme"),
    ("GET", "/v1/identity/wards/%2F../admin/accounts"),
    ("GET", "/v1/feedback/categories/../../../metrics"),
    ("POST", "/v1/identity/auth/revoke/../../admin/accounts/X/lock"),
    ("GET", "/v1/identity/wards/./x"),
    ("GET", "/v1/identity/wards//../admin/accounts"),
    ("GET", "/v1/identity/wards//x"),
    ("GET", "//v1/identity/wards"),
    ("GET", "/v1/identity/wards;/../admin/accounts"),
    ("GET", "/v1/identity/wards/..;/admin/accounts"),
    ("GET", "/v1/identity/wards;jsessionid=1"),
    ("GET", "/v1/identity/wards/%00/../admin/accounts"),
    ("GET", "/v1/identity/wards%00"),
    ("GET", "/v1/identity/wards/..%5Cadmin%5Caccounts"),
    ("GET", "/v1/identity/wards/..%5cadmin"),
    ("GET", "/v1/identity/wards/..\\admin\\accounts"),
    ("GET", "/v1/identity/wards/%252e%252e/admin/accounts"),  # double encoding
    ("GET", "/v1/identity/wards/%252F..%252Fme"),
]


@pytest.mark.parametrize(("method", "target"), ATTACKS, ids=[f"{m} {t}" for m, t in ATTACKS])
async def test_path_traversal_spelling_is_refused_before_any_route(
    exposed: Any, method: str, target: str
) -> None:
    url, seen = exposed
    status, body = await raw_request(url, method, target)
    assert status == 400, body
    assert seen == []  # never reached an upstream
    if "type" in body:  # uvicorn itself refuses a few spellings before the gateway sees them
        assert body["type"].endswith("/unsafe-path")


async def test_traversal_from_a_public_route_does_not_reach_an_admin_route_without_a_token(
    exposed: Any,
) -> None:
    url, seen = exposed
    status, _ = await raw_request(url, "GET", "/v1/identity/wards/../admin/accounts")
    assert status == 400
    status, _ = await raw_request(url, "GET", "/v1/identity/admin/accounts")
    assert status == 401  # the honest spelling meets the admin route's policy
    assert seen == []


async def test_percent_encoded_utf8_is_forwarded_as_the_matched_path(exposed: Any) -> None:
    url, seen = exposed
    status, body = await raw_request(url, "GET", "/v1/identity/wards/Hu%E1%BA%BF%20city?q=g%E1%BA%A1o&x=1")
    assert status == 200, body
    assert seen == ["/v1/wards/Hu%E1%BA%BF%20city"]
    assert body["path"] == "/v1/wards/Huế city"


async def test_trailing_slash_is_still_one_path(exposed: Any, test_keys: SigningKeys) -> None:
    url, seen = exposed
    status, _ = await raw_request(url, "GET", "/v1/identity/wards/")
    assert status == 200
    assert seen == ["/v1/wards/"]
