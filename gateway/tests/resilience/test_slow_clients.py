"""Issue 7, item 2: a slow client body is the client's fault (408), never an upstream failure.

Before the fix, five chunked anonymous POSTs sending a byte at a time got 504 and opened the upstream's
circuit breaker (identity then answered 503 for everyone), and a slow body held an upstream slot.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

ROUTES = """
version = 1
[rate_limits.standard]
limits = [{ key = "address", rate = "1000/minute" }]
[[routes]]
name = "login"
upstream = "identity"
public = "/v1/identity/auth/token"
path = "/v1/upload"
methods = ["POST"]
access = "public"
timeout_seconds = 1.0
retry_safe = false
[[routes]]
name = "files"
upstream = "identity"
public = "/v1/identity/files"
path = "/v1/upload"
methods = ["POST"]
access = "public"
timeout_seconds = 1.0
max_body_bytes = 10_000_000
[[routes]]
name = "slow"
upstream = "identity"
public = "/v1/identity/slow"
path = "/v1/slow"
access = "public"
timeout_seconds = 0.3
[[routes]]
name = "wards"
upstream = "identity"
public = "/v1/identity/wards"
path = "/v1/wards"
access = "public"
"""
PACE = {
    "client_body_idle_seconds": 0.5,
    "client_body_min_bytes_per_second": 100,
    "client_body_grace_seconds": 0.3,
    "breaker_failure_threshold": 5,
    "breaker_open_seconds": 30,
}


async def dripping_post(
    base_url: str, path: str, *, interval: float = 0.2, chunks: int = 40, size: int = 1
) -> tuple[int, str]:
    """A chunked POST that sends `size` bytes per `interval` until the gateway answers."""
    host, port = base_url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(
        f"POST {path} HTTP/1.1\r\nHost: gateway.test\r\nTransfer-Encoding: chunked\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n\r\n".encode()
    )

    async def drip() -> None:
        for _ in range(chunks):
            writer.write(f"{size:x}\r\n".encode() + b"x" * size + b"\r\n")
            await writer.drain()
            await asyncio.sleep(interval)
        writer.write(b"0\r\n\r\n")
        await writer.drain()

    dripping = asyncio.create_task(drip())
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=15)
        lines = head.decode("latin-1").split("\r\n")
        length = next(
            (int(v) for k, _, v in (x.partition(": ") for x in lines) if k.lower() == "content-length"), 0
        )
        body = await reader.readexactly(length) if length else b""
        return int(lines[0].split()[1]), body.decode()
    finally:
        dripping.cancel()
        writer.close()


async def test_slow_anonymous_uploads_do_not_open_the_upstreams_breaker(
    make_gateway: Any, serve: Any
) -> None:
    gateway = await make_gateway(routes=ROUTES, **PACE)
    async with serve(gateway.app, lifespan="off") as url:
        answers = await asyncio.gather(*(dripping_post(url, "/v1/identity/auth/token") for _ in range(5)))
        assert [status for status, _ in answers] == [408] * 5
        assert json.loads(answers[0][1])["type"].endswith("/request-body-timeout")
        breaker = gateway.runtime.upstreams["identity"].breaker
        assert (breaker.state, breaker.failures) == (0, 0)
        assert (await gateway.client.get("/v1/identity/wards")).status_code == 200


async def test_slow_body_does_not_hold_an_upstream_in_flight_slot(make_gateway: Any, serve: Any) -> None:
    gateway = await make_gateway(routes=ROUTES, max_in_flight_per_upstream=1, **PACE)
    async with serve(gateway.app, lifespan="off") as url:
        slow = asyncio.create_task(
            dripping_post(url, "/v1/identity/auth/token", interval=0.05, chunks=20, size=50)
        )
        await asyncio.sleep(0.3)  # the drip is under way (it lasts about a second at an acceptable pace)
        assert not slow.done()
        assert (await gateway.client.get("/v1/identity/wards")).status_code == 200
        status, body = await slow
        assert status == 200, body
        assert json.loads(body)["received"] == 1000


async def test_streamed_upload_at_a_fair_pace_may_take_longer_than_the_upstream_timeout(
    make_gateway: Any, serve: Any
) -> None:
    """The route's timeout is the upstream's time to answer once it has the body, not the upload time."""
    import httpx

    gateway = await make_gateway(routes=ROUTES, **PACE)

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(6):
            yield b"y" * 65_536
            await asyncio.sleep(0.3)

    async with serve(gateway.app, lifespan="off") as url, httpx.AsyncClient(base_url=url) as client:
        started = time.perf_counter()
        response = await client.post("/v1/identity/files", content=chunks())
        assert time.perf_counter() - started > 1.5
    assert response.status_code == 200, response.text
    assert response.json()["received"] == 6 * 65_536


async def test_slow_upstream_after_the_body_was_sent_still_counts_against_it(make_gateway: Any) -> None:
    gateway = await make_gateway(routes=ROUTES, **PACE)
    response = await gateway.client.get("/v1/identity/slow", params={"seconds": 2})
    assert response.status_code == 504
    assert gateway.runtime.upstreams["identity"].breaker.failures == 1
