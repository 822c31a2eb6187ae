"""What crosses the gateway: paths, headers, client address, bodies (streamed both ways), and misses."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import httpx

from hues_shared.testing.tokens import SigningKeys, bearer

ROUTES = """
version = 1
[rate_limits.standard]
limits = [{ key = "address", rate = "1000/minute" }]
[[routes]]
name = "files"
upstream = "feedback"
public = "/v1/files"
path = "/v1"
access = "public"
max_body_bytes = 20_000_000
[[routes]]
name = "small"
upstream = "feedback"
public = "/v1/small"
path = "/v1"
access = "public"
max_body_bytes = 1000
"""


async def test_path_and_query_are_rewritten_to_the_upstream(
    gateway: Any, test_keys: SigningKeys, echoed: Any
) -> None:
    response = await gateway.client.get(
        "/v1/catalog/offerings/42", params={"q": "gạo", "page": "2"}, headers=bearer(test_keys.token())
    )
    seen = echoed(response)
    assert seen["path"] == "/v1/offerings/42"
    assert seen["query"] == "q=g%E1%BA%A1o&page=2"
    assert response.headers["x-upstream-header"] == "kept"


async def test_request_id_and_trace_context_are_passed_upstream(gateway: Any, echoed: Any) -> None:
    trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    response = await gateway.client.get(
        "/v1/identity/wards", headers={"X-Request-ID": "req-abc-1", "traceparent": trace}
    )
    seen = echoed(response)
    assert seen["headers"]["x-request-id"] == "req-abc-1"
    assert seen["headers"]["traceparent"].startswith("00-4bf92f3577b34da6a3ce929d0e0e4736-")
    assert response.headers["x-request-id"] == "req-abc-1"
    assert response.headers.get_list("x-request-id") == ["req-abc-1"]  # the upstream's copy is not doubled


async def test_hop_by_hop_and_spoofed_forwarding_headers_are_dropped(gateway: Any, echoed: Any) -> None:
    seen = echoed(
        await gateway.client.get(
            "/v1/identity/wards",
            headers={
                "Connection": "keep-alive, X-Secret",
                "X-Secret": "1",
                "X-Forwarded-For": "6.6.6.6",
                "X-Real-IP": "6.6.6.6",
            },
        )
    )
    headers = seen["headers"]
    assert "x-secret" not in headers
    assert "x-real-ip" not in headers
    assert headers["x-forwarded-for"] == "127.0.0.1"  # the peer; the client's claim is ignored


async def test_forwarded_for_is_believed_only_from_trusted_proxies(make_gateway: Any, echoed: Any) -> None:
    gateway = await make_gateway(trusted_proxies=["127.0.0.0/8"])
    seen = echoed(
        await gateway.client.get("/v1/identity/wards", headers={"X-Forwarded-For": "6.6.6.6, 203.0.113.9"})
    )
    assert seen["headers"]["x-forwarded-for"] == "6.6.6.6, 203.0.113.9, 127.0.0.1"


async def test_client_address_behind_a_trusted_proxy_is_rate_limited_separately(make_gateway: Any) -> None:
    routes = ROUTES.replace('rate = "1000/minute"', 'rate = "1/minute"')
    gateway = await make_gateway(routes=routes, trusted_proxies=["127.0.0.1"])
    first = await gateway.client.get("/v1/files/a", headers={"X-Forwarded-For": "203.0.113.1"})
    other_client = await gateway.client.get("/v1/files/a", headers={"X-Forwarded-For": "203.0.113.2"})
    again = await gateway.client.get("/v1/files/a", headers={"X-Forwarded-For": "203.0.113.1"})
    assert [first.status_code, other_client.status_code, again.status_code] == [200, 200, 429]


async def test_unknown_path_is_a_404_problem(gateway: Any) -> None:
    response = await gateway.client.get("/v2/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_method_no_route_allows_is_a_405_problem(gateway: Any) -> None:
    response = await gateway.client.delete("/.well-known/jwks.json")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"


async def test_declared_body_over_the_route_limit_is_refused(make_gateway: Any) -> None:
    gateway = await make_gateway(routes=ROUTES)
    response = await gateway.client.post("/v1/small/upload", content=b"x" * 1001)
    assert response.status_code == 413
    assert response.json()["limit_bytes"] == 1000


async def test_large_upload_is_streamed_to_the_upstream(make_gateway: Any, serve: Any) -> None:
    gateway = await make_gateway(routes=ROUTES)

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(160):
            yield b"y" * 65_536

    async with serve(gateway.app, lifespan="off") as url, httpx.AsyncClient(base_url=url) as client:
        response = await client.post("/v1/files/upload", content=chunks())
        assert response.status_code == 200
        assert response.json() == {"received": 160 * 65_536}


async def test_chunked_upload_crossing_the_limit_is_refused(make_gateway: Any, serve: Any) -> None:
    gateway = await make_gateway(routes=ROUTES)

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(4):
            yield b"z" * 400

    async with serve(gateway.app, lifespan="off") as url, httpx.AsyncClient(base_url=url) as client:
        response = await client.post("/v1/small/upload", content=chunks())
        assert response.status_code == 413


async def test_large_response_is_streamed_not_buffered(make_gateway: Any, serve: Any) -> None:
    gateway = await make_gateway(routes=ROUTES)
    async with serve(gateway.app, lifespan="off") as url, httpx.AsyncClient(base_url=url) as client:
        started = time.perf_counter()
        async with client.stream("GET", "/v1/files/drip") as response:
            chunks = response.aiter_raw()
            first = await chunks.__anext__()
            assert time.perf_counter() - started < 0.7  # the upstream's second chunk comes 1 s later
            assert first == b"first;"
            assert b"".join([c async for c in chunks]) == b"second"
        big = await client.get("/v1/files/big", params={"megabytes": 4})
        assert len(big.content) == 4 * 1024 * 1024


async def test_upstream_problem_names_the_public_path_as_instance(
    make_gateway: Any, serve: Any, test_keys: SigningKeys
) -> None:
    """Issue 14, item 1 / issue 7, item 20: `instance` is the path the client called, not the upstream's."""
    from fastapi import FastAPI
    from fastapi.responses import JSONResponse

    upstream = FastAPI()

    @upstream.get("/v1/reports/{report_id}")
    async def missing(report_id: str) -> JSONResponse:
        problem = {"type": "https://hue-s.vn/problems/not-found", "title": "Not found", "status": 404}
        return JSONResponse(
            problem | {"instance": f"/v1/reports/{report_id}"},
            status_code=404,
            media_type="application/problem+json",
        )

    async with serve(upstream) as url:
        gateway = await make_gateway(urls={"feedback": url})
        response = await gateway.client.get("/v1/feedback/reports/r-1", headers=bearer(test_keys.token()))
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["instance"] == "/v1/feedback/reports/r-1"
    assert int(response.headers["content-length"]) == len(response.content)


async def test_every_endpoint_discovery_names_is_routed_to_identity(gateway: Any) -> None:
    """Issue 14, item 1: identity's discovery names these public paths; each must reach identity."""
    matcher = gateway.app.state.runtime.openapi.matcher
    for method, path, upstream_path in [
        ("POST", "/v1/identity/auth/token", "/v1/auth/token"),
        ("POST", "/v1/identity/auth/revoke", "/v1/auth/revoke"),
        ("GET", "/.well-known/jwks.json", "/.well-known/jwks.json"),
        ("GET", "/v1/identity/me", "/v1/me"),
    ]:
        match = matcher.match(method, path)
        assert (match.route.upstream, match.upstream_path) == ("identity", upstream_path)


async def test_openapi_names_the_public_base_url_and_no_internal_address(make_gateway: Any) -> None:
    gateway = await make_gateway(public_base_url="https://api.hue-s.example")
    document = (await gateway.client.get("/openapi.json")).json()
    assert document["servers"] == [{"url": "https://api.hue-s.example"}]
    assert "127.0.0.1" not in document["info"]["description"]
