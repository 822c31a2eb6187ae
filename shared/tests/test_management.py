"""Issue 7, item 15 (= issue 13, item 8): /readyz and /metrics are not reachable from the public side.

Before: every service and the gateway answered them to anyone (and through the gateway's dot-segment
bypass, `/v1/feedback/categories/../../../metrics` returned a service's metrics)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from hues_eventlab import app as lab

from hues_shared.testing.apps import RunningService, running_service
from hues_shared.testing.events import RecordingBus
from hues_shared.testing.tokens import SigningKeys

PUBLIC_PEER = ("203.0.113.9", 40_000)


def client_for(service: RunningService, *, peer: tuple[str, int], base_url: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=service.app, client=peer), base_url=base_url)


@pytest.fixture
async def with_management_port(tmp_path: Path, test_keys: SigningKeys) -> AsyncIterator[RunningService]:
    url = f"sqlite+aiosqlite:///{tmp_path}/lab.db"
    await lab.create_schema(url)
    settings = lab.lab_settings(url, port=8080, management_port=9090)
    async with running_service(
        lab.create_app, settings, keys=test_keys, bus=RecordingBus(), migrate=False
    ) as svc:
        yield svc


@pytest.mark.parametrize("path", ["/readyz", "/metrics"])
async def test_management_endpoints_are_hidden_from_a_public_peer(
    lab_service: RunningService, path: str
) -> None:
    async with client_for(lab_service, peer=PUBLIC_PEER, base_url="http://lab.example") as public:
        response = await public.get(path)
    assert response.status_code == 404
    assert response.json()["type"].endswith("/not-found")


async def test_management_endpoints_answer_a_loopback_peer(lab_service: RunningService) -> None:
    assert (await lab_service.client.get("/readyz")).status_code == 200
    assert "http_requests_total" in (await lab_service.client.get("/metrics")).text


async def test_liveness_and_the_api_stay_public(lab_service: RunningService) -> None:
    async with client_for(lab_service, peer=PUBLIC_PEER, base_url="http://lab.example") as public:
        assert (await public.get("/healthz")).status_code == 200
        assert (await public.get("/v1/lab/items")).status_code == 200


async def test_with_a_management_port_metrics_answer_only_there(with_management_port: RunningService) -> None:
    loopback = ("127.0.0.1", 40_000)  # even a loopback peer is refused on the public port
    async with client_for(with_management_port, peer=loopback, base_url="http://lab:8080") as public:
        assert (await public.get("/metrics")).status_code == 404
        assert (await public.get("/readyz")).status_code == 404
        assert (await public.get("/v1/lab/items")).status_code == 200
    async with client_for(with_management_port, peer=PUBLIC_PEER, base_url="http://lab:9090") as management:
        assert (await management.get("/metrics")).status_code == 200
        assert (await management.get("/readyz")).status_code == 200
        assert (await management.get("/healthz")).status_code == 200
        assert (await management.get("/v1/lab/items")).status_code == 404  # the API is not on that port
