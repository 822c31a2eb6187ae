"""Health, readiness per upstream, metrics per route/upstream/status, access log, web-client headers."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from hues_shared.testing.tokens import SigningKeys, bearer


async def test_healthz_is_alive(gateway: Any) -> None:
    response = await gateway.client.get("/healthz")
    assert response.json() == {"status": "ok", "service": "gateway"}


async def test_readyz_reports_each_upstream_and_stays_ready_when_one_is_down(
    make_gateway: Any, dead_url: str
) -> None:
    gateway = await make_gateway(urls={"feedback": dead_url})
    response = await gateway.client.get("/readyz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["upstreams"]["feedback-service"]["status"] == "unavailable"
    assert body["upstreams"]["catalog-service"] == {
        "status": "ok",
        "circuit": "closed",
        "docs": body["upstreams"]["catalog-service"]["docs"],
    }
    assert body["checks"] == {"bus": "ok", "revocations": "ok"}


async def test_metrics_count_per_route_upstream_and_status(gateway: Any, test_keys: SigningKeys) -> None:
    await gateway.client.get("/v1/catalog/categories")
    await gateway.client.get("/v1/notification/inbox")
    text = (await gateway.client.get("/metrics")).text
    assert 'gateway_requests_total{route="catalog.categories",status="200",upstream="catalog"} 1.0' in text
    assert (
        'gateway_requests_total{route="notification.inbox",status="401",upstream="notification"} 1.0' in text
    )
    assert 'gateway_refused_total{reason="unauthorized",route="notification.inbox"} 1.0' in text
    assert "gateway_request_duration_seconds_bucket" in text
    assert 'http_requests_total{method="GET",route="/v1/catalog/categories",status="200"}' in text


async def test_access_log_has_upstream_and_account_but_no_token(
    gateway: Any, test_keys: SigningKeys, caplog: pytest.LogCaptureFixture
) -> None:
    token = test_keys.token(sub="acc-log")
    with caplog.at_level(logging.INFO, logger="hues.access"):
        await gateway.client.get("/v1/notification/inbox", headers=bearer(token))
    record = next(
        r
        for r in caplog.records
        if r.name == "hues.access" and r.__dict__.get("path") == "/v1/notification/inbox"
    )
    assert record.__dict__["upstream"] == "notification"
    assert record.__dict__["account_id"] == "acc-log"
    assert record.__dict__["upstream_status"] == 200
    assert isinstance(record.__dict__["upstream_ms"], float)
    assert all(token not in str(value) for value in record.__dict__.values())


async def test_security_headers_are_set(gateway: Any) -> None:
    response = await gateway.client.get("/v1/catalog/categories")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["strict-transport-security"].startswith("max-age=")
    assert "server" not in response.headers or response.headers["server"] != "upstream-internal"


async def test_cors_preflight_allows_only_configured_origins(make_gateway: Any) -> None:
    gateway = await make_gateway(cors_origins=["https://app.hue-s.vn"])
    allowed = await gateway.client.options(
        "/v1/notification/inbox",
        headers={
            "Origin": "https://app.hue-s.vn",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://app.hue-s.vn"
    refused = await gateway.client.options(
        "/v1/notification/inbox",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in refused.headers
    simple = await gateway.client.get("/v1/catalog/categories", headers={"Origin": "https://app.hue-s.vn"})
    assert "ratelimit" in simple.headers["access-control-expose-headers"].lower()


@pytest.mark.parametrize("path", ["/readyz", "/metrics"])
async def test_gateway_management_endpoints_are_hidden_from_the_public_side(gateway: Any, path: str) -> None:
    """Issue 7, item 15: the gateway's readiness (upstream states, internal addresses) and metrics."""
    import httpx

    transport = httpx.ASGITransport(app=gateway.app, client=("198.51.100.7", 50_000))
    async with httpx.AsyncClient(transport=transport, base_url="http://api.hue-s.example") as public:
        assert (await public.get(path)).status_code == 404
        assert (await public.get("/healthz")).status_code == 200
