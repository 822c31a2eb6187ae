"""Dead, slow, overloaded and flaky upstreams: problems that name the upstream, never its internals."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from hues_shared.testing.tokens import SigningKeys, bearer


async def test_dead_upstream_opens_the_breaker_and_other_routes_keep_working(
    make_gateway: Any, dead_url: str, echoed: Any
) -> None:
    gateway = await make_gateway(
        urls={"feedback": dead_url}, breaker_failure_threshold=3, breaker_open_seconds=30
    )
    statuses = [(await gateway.client.get("/v1/feedback/categories")).status_code for _ in range(3)]
    assert statuses == [502, 502, 502]
    started = time.perf_counter()
    open_circuit = await gateway.client.get("/v1/feedback/categories")
    assert time.perf_counter() - started < 0.05  # answered at once, the dead upstream is not even tried
    assert open_circuit.status_code == 503
    problem = open_circuit.json()
    assert problem["type"].endswith("/upstream-unavailable")
    assert problem["upstream"] == "feedback-service"
    assert "127.0.0.1" not in open_circuit.text
    assert int(open_circuit.headers["retry-after"]) > 0
    echoed(await gateway.client.get("/v1/catalog/categories"))


async def test_bad_gateway_problem_names_the_upstream_only(make_gateway: Any, dead_url: str) -> None:
    gateway = await make_gateway(urls={"catalog": dead_url})
    response = await gateway.client.get("/v1/catalog/categories")
    assert response.status_code == 502
    assert response.json()["upstream"] == "catalog-service"
    assert dead_url.rsplit(":", 1)[1] not in response.text


async def test_breaker_closes_when_the_upstream_returns(
    make_gateway: Any, serve: Any, make_echo_app: Any, dead_url: str, echoed: Any
) -> None:
    gateway = await make_gateway(
        urls={"catalog": dead_url}, breaker_failure_threshold=2, breaker_open_seconds=0.3
    )
    for _ in range(2):
        assert (await gateway.client.get("/v1/catalog/categories")).status_code == 502
    assert (await gateway.client.get("/v1/catalog/categories")).status_code == 503
    port = int(dead_url.rsplit(":", 1)[1])
    async with serve(make_echo_app(), port=port):
        await asyncio.sleep(0.35)
        echoed(await gateway.client.get("/v1/catalog/categories"))  # the half-open probe succeeds
        assert gateway.runtime.upstreams["catalog"].breaker.state == 0


SLOW_ROUTES = """
version = 1
[rate_limits.standard]
limits = [{ key = "address", rate = "1000/minute" }]
[[routes]]
name = "slow"
upstream = "feedback"
public = "/v1/slow"
path = "/v1/slow"
access = "public"
timeout_seconds = 0.3
"""


async def test_slow_upstream_times_out_with_504(make_gateway: Any, echoed: Any) -> None:
    gateway = await make_gateway(routes=SLOW_ROUTES)
    started = time.perf_counter()
    response = await gateway.client.get("/v1/slow", params={"seconds": 2})
    assert time.perf_counter() - started < 1.0
    assert response.status_code == 504
    assert response.json()["type"].endswith("/upstream-timeout")
    assert response.json()["upstream"] == "feedback-service"
    echoed(await gateway.client.get("/v1/slow", params={"seconds": 0}))


async def test_requests_beyond_the_in_flight_bound_get_503(make_gateway: Any, serve: Any) -> None:
    """Two requests held by the upstream (it says when both arrived) fill the bound; a third is refused."""
    arrived: list[int] = []
    both_in, release = asyncio.Event(), asyncio.Event()
    upstream = FastAPI()

    @upstream.get("/v1/slow")
    async def held() -> dict[str, str]:
        arrived.append(1)
        if len(arrived) == 2:
            both_in.set()
        await release.wait()
        return {"status": "released"}

    async with serve(upstream) as url:
        gateway = await make_gateway(
            urls={"feedback": url}, routes=SLOW_ROUTES.replace("0.3", "5"), max_in_flight=2
        )
        slow = [asyncio.create_task(gateway.client.get("/v1/slow")) for _ in range(2)]
        await asyncio.wait_for(both_in.wait(), timeout=5)
        overflow = await asyncio.wait_for(gateway.client.get("/v1/slow"), timeout=5)
        release.set()
        assert overflow.status_code == 503
        assert overflow.json()["type"].endswith("/gateway-overloaded")
        assert overflow.headers["retry-after"] == "1"
        assert [r.status_code for r in await asyncio.gather(*slow)] == [200, 200]
        assert len(arrived) == 2  # the refused one never reached the upstream


@asynccontextmanager
async def flaky_server(*, drop_first: int) -> AsyncIterator[str]:
    """A raw HTTP server that hangs up on its first `drop_first` connections, then answers 200."""
    connections = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        if connections <= drop_first:
            writer.close()
            return
        while True:
            try:
                await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                break
            writer.write(
                b'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{"ok":true}'
            )
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://127.0.0.1:{port}"


async def test_idempotent_call_is_retried_after_a_dropped_connection(
    make_gateway: Any, test_keys: SigningKeys
) -> None:
    async with flaky_server(drop_first=1) as url:
        gateway = await make_gateway(urls={"catalog": url})
        response = await gateway.client.get("/v1/catalog/offerings", headers=bearer(test_keys.token()))
        assert response.status_code == 200
        assert response.json() == {"ok": True}


async def test_non_idempotent_call_is_not_retried(make_gateway: Any, test_keys: SigningKeys) -> None:
    async with flaky_server(drop_first=1) as url:
        gateway = await make_gateway(urls={"catalog": url})
        response = await gateway.client.post(
            "/v1/catalog/offerings", headers=bearer(test_keys.token()), json={}
        )
        assert response.status_code == 502
