"""Request context (request id, W3C traceparent) and the body-size limit, declared or streamed."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hues_eventlab import app as lab

from hues_shared.testing.apps import RunningService, running_service
from hues_shared.testing.events import RecordingBus
from hues_shared.testing.tokens import SigningKeys

INCOMING = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
TRACEPARENT = re.compile(r"^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")
LIMIT = 1024


@pytest.fixture
async def small_body_service(tmp_path: Path, test_keys: SigningKeys) -> AsyncIterator[RunningService]:
    url = f"sqlite+aiosqlite:///{tmp_path}/lab.db"
    await lab.create_schema(url)
    settings = lab.lab_settings(url, max_body_bytes=LIMIT)
    async with running_service(
        lab.create_app, settings, keys=test_keys, bus=RecordingBus(), migrate=False
    ) as svc:
        yield svc


async def test_request_id_from_the_caller_is_kept_and_echoed(lab_service: RunningService) -> None:
    response = await lab_service.client.get("/healthz", headers={"x-request-id": "app-123.retry:2"})
    assert response.headers["x-request-id"] == "app-123.retry:2"


async def test_missing_or_unsafe_request_id_is_replaced(lab_service: RunningService) -> None:
    created = await lab_service.client.get("/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", created.headers["x-request-id"])
    unsafe = await lab_service.client.get("/healthz", headers={"x-request-id": "bad id <script>"})
    assert unsafe.headers["x-request-id"] != "bad id <script>"
    assert re.fullmatch(r"[0-9a-f]{32}", unsafe.headers["x-request-id"])


async def test_traceparent_is_continued_with_a_new_span(lab_service: RunningService) -> None:
    response = await lab_service.client.get("/healthz", headers={"traceparent": INCOMING})
    echoed = response.headers["traceparent"]
    assert TRACEPARENT.match(echoed)
    assert echoed.split("-")[1] == INCOMING.split("-")[1]  # same trace
    assert echoed.split("-")[2] != INCOMING.split("-")[2]  # this hop's own span


async def test_traceparent_is_created_when_absent_or_invalid(lab_service: RunningService) -> None:
    for headers in (
        {},
        {"traceparent": "garbage"},
        {"traceparent": "00-" + "0" * 32 + "-b7ad6b7169203331-01"},
    ):
        echoed = (await lab_service.client.get("/healthz", headers=headers)).headers["traceparent"]
        assert TRACEPARENT.match(echoed) and echoed.split("-")[1] != "0" * 32


async def test_error_responses_carry_the_context_too(lab_service: RunningService) -> None:
    response = await lab_service.client.get("/v1/nowhere", headers={"x-request-id": "r-404"})
    assert response.headers["x-request-id"] == "r-404" and response.json()["request_id"] == "r-404"


async def test_requests_are_counted_in_metrics(lab_service: RunningService) -> None:
    await lab_service.client.get("/healthz")
    metrics = (await lab_service.client.get("/metrics")).text
    assert 'http_requests_total{method="GET",route="/healthz",status="200"}' in metrics


async def test_declared_body_over_the_limit_is_413(small_body_service: RunningService) -> None:
    response = await small_body_service.client.post(
        "/v1/lab/items", content=b"x" * (LIMIT + 1), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["limit_bytes"] == LIMIT


async def test_chunked_body_over_the_limit_is_413(small_body_service: RunningService) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(8):
            yield b"y" * 256

    response = await small_body_service.client.post(
        "/v1/lab/items", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["type"].endswith("/payload-too-large")


async def test_body_under_the_limit_passes(small_body_service: RunningService) -> None:
    response = await small_body_service.client.post("/v1/lab/items", json={"name": "small"})
    assert response.status_code == 201
