"""Limits trip with the IETF RateLimit headers and a 429 problem, then recover; Redis shares them."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from hues_shared.testing.tokens import SigningKeys, bearer

ROUTES = """
version = 1
[rate_limits.tight]
limits = [{ key = "address", rate = "3 per 2 seconds" }]
[rate_limits.per_account]
limits = [{ key = "account", rate = "2 per 2 seconds" }, { key = "address", rate = "100 per 2 seconds" }]
[rate_limits.standard]
limits = [{ key = "address", rate = "1000/minute" }]

[[routes]]
name = "tight"
upstream = "catalog"
public = "/v1/tight"
path = "/v1/tight"
access = "public"
rate_limit = "tight"

[[routes]]
name = "mine"
upstream = "notification"
public = "/v1/mine"
path = "/v1/mine"
rate_limit = "per_account"
"""


async def test_limit_trips_with_headers_and_recovers(make_gateway: Any) -> None:
    gateway = await make_gateway(routes=ROUTES)
    statuses = []
    for _ in range(3):
        response = await gateway.client.get("/v1/tight")
        statuses.append(response.status_code)
    assert statuses == [200, 200, 200]
    assert response.headers["ratelimit-policy"] == '"tight.address.2s";q=3;w=2'
    assert response.headers["ratelimit"].startswith('"tight.address.2s";r=0;t=')
    refused = await gateway.client.get("/v1/tight")
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"].endswith("/rate-limited")
    assert 1 <= int(refused.headers["retry-after"]) <= 2
    assert refused.headers["ratelimit"].startswith('"tight.address.2s";r=0;')
    await asyncio.sleep(int(refused.headers["retry-after"]) + 0.1)
    recovered = await gateway.client.get("/v1/tight")
    assert recovered.status_code == 200
    assert recovered.headers["ratelimit"].startswith('"tight.address.2s";r=2;')


async def test_limit_counts_each_account_separately(make_gateway: Any, test_keys: SigningKeys) -> None:
    gateway = await make_gateway(routes=ROUTES)
    alice, bob = bearer(test_keys.token(sub="alice")), bearer(test_keys.token(sub="bob"))
    assert [(await gateway.client.get("/v1/mine", headers=alice)).status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]
    assert (await gateway.client.get("/v1/mine", headers=bob)).status_code == 200


async def login(gateway: Any, username: str) -> int:
    form = {"grant_type": "password", "username": username, "password": "wrong"}
    return int((await gateway.client.post("/v1/identity/auth/token", data=form)).status_code)


async def test_login_route_is_strict_per_login_name_by_default(gateway: Any) -> None:
    statuses = [await login(gateway, "0905123456") for _ in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    assert await login(gateway, "0905999999") == 200  # someone else behind the same address


async def test_one_carrier_nat_address_is_not_one_login_budget(gateway: Any) -> None:
    """Issue 14, item 6: thirty people behind one address each log in once."""
    assert [await login(gateway, f"09051234{n:02d}") for n in range(30)] == [200] * 30


async def test_another_spelling_of_a_login_name_shares_its_budget(gateway: Any) -> None:
    spellings = ["0905123456", "+84 905 123 456", "0905-123-456", " 0905.123.456 "]
    statuses = [await login(gateway, spellings[n % len(spellings)]) for n in range(11)]
    assert statuses[10] == 429


async def test_address_ceiling_still_stops_a_password_spray(make_gateway: Any) -> None:
    gateway = await make_gateway(rate_limit_scale=0.05)  # login address ceiling 120/minute -> 6
    statuses = [await login(gateway, f"09051234{n:02d}") for n in range(7)]
    assert statuses == [200] * 6 + [429]


async def test_development_defaults_are_relaxed(make_gateway: Any) -> None:
    gateway = await make_gateway(environment="development")
    assert [await login(gateway, "0905123456") for _ in range(11)] == [200] * 11


async def test_refused_registrations_do_not_count_against_the_limit(make_gateway: Any, serve: Any) -> None:
    """Issue 14, item 6: a 422 (invalid CCCD, weak password) never reached the expensive path."""
    from fastapi import FastAPI
    from fastapi.responses import JSONResponse

    identity = FastAPI()

    @identity.post("/v1/accounts/citizens")
    async def refuse() -> JSONResponse:
        return JSONResponse({"status": 422}, status_code=422, media_type="application/problem+json")

    async with serve(identity) as url:
        gateway = await make_gateway(urls={"identity": url})
        statuses = [
            (
                await gateway.client.post("/v1/identity/accounts/citizens", json={"phone": "0905123456"})
            ).status_code
            for _ in range(12)
        ]
    assert statuses == [422] * 12  # 5/hour per phone, 100/hour per address: refusals were given back


async def test_replicas_share_one_limit_in_redis(make_gateway: Any, redis_url: str) -> None:
    prefix = f"test:{uuid.uuid4().hex}"
    first = await make_gateway(routes=ROUTES, redis_url=redis_url, redis_key_prefix=prefix)
    second = await make_gateway(routes=ROUTES, redis_url=redis_url, redis_key_prefix=prefix)
    assert (await first.client.get("/v1/tight")).status_code == 200
    assert (await second.client.get("/v1/tight")).status_code == 200
    assert (await first.client.get("/v1/tight")).status_code == 200
    refused = await second.client.get("/v1/tight")
    assert refused.status_code == 429
    assert refused.headers["retry-after"]
    await asyncio.sleep(int(refused.headers["retry-after"]) + 0.1)
    assert (await first.client.get("/v1/tight")).status_code == 200


async def test_redis_outage_falls_back_to_local_counting(make_gateway: Any) -> None:
    gateway = await make_gateway(routes=ROUTES, redis_url="redis://127.0.0.1:1/0")
    statuses = [(await gateway.client.get("/v1/tight")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
