"""Through the gateway (issue 10): an operator publishes a ward warning; citizens of that ward see it in
their inbox and the push sink receives their pushes; citizens elsewhere see nothing (Art. 6.2)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from hues_shared.testing.infrastructure import free_port
from tests.e2e.conftest import (
    citizen_registration,
    random_cccd,
)
from tests.e2e.platform_processes import PlatformProcesses
from tests.e2e.test_gateway_journey import _bootstrap_admin, _login, _register_and_verify, bearer

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.kafka]
PHU_XUAN, THUAN_AN = "19768", "19900"


@pytest.fixture
def push_sink(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The local FCM-compatible sink as its own process; notification-service pushes to it."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "notification_service.push.sink", "--port", str(port)],
        stdout=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("NOTIFICATION_PUSH_ENDPOINT", url)
    monkeypatch.setenv("NOTIFICATION_PUSH_POLL_SECONDS", "0.2")
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


async def _citizen(client: httpx.AsyncClient, ward: str, device_token: str) -> str:
    registration = {**citizen_registration(random_cccd()), "home_ward_code": ward}
    await _register_and_verify(client, registration)
    document = registration["document"]
    assert isinstance(document, dict)
    access = (await _login(client, str(document["number"]), str(registration["password"])))["access_token"]
    for _ in range(150):  # identity's AccountRegistered reaches notification-service through Kafka
        items = (await client.get("/v1/notification/inbox", headers=bearer(access))).json()["items"]
        if items:
            break
        await asyncio.sleep(0.1)
    device = {"platform": "android", "token": device_token, "app_version": "1.0.0"}
    registered = await client.post("/v1/notification/devices", json=device, headers=bearer(access))
    assert registered.status_code == 201, registered.text
    return access


async def _eventually(check: Any, attempts: int = 150) -> Any:
    for _ in range(attempts):
        if value := await check():
            return value
        await asyncio.sleep(0.1)
    raise AssertionError("never happened")


async def test_a_ward_warning_reaches_that_ward_only(
    push_sink: str, distributed_platform: PlatformProcesses
) -> None:
    platform = distributed_platform  # started after push_sink (argument order), so it pushes to the sink
    async with httpx.AsyncClient(base_url=platform.url("gateway"), timeout=15) as client:
        inside = await _citizen(client, PHU_XUAN, "fcm-token-inside-phu-xuan")
        elsewhere = await _citizen(client, THUAN_AN, "fcm-token-elsewhere-thuan-an")
        operator = (await _bootstrap_admin(client))["access_token"]
        warning = {
            "topic": "flood",
            "category": "Met",
            "event": "Lũ",
            "urgency": "Expected",
            "severity": "Severe",
            "certainty": "Likely",
            "expires_at": (datetime.now(UTC) + timedelta(hours=3)).isoformat(),
            "headline": {"vi": "Cảnh báo lũ Phú Xuân"},
            "description": {"vi": "Nước sông Hương lên nhanh"},
            "sender_name": "IOC Huế",
            "area_desc": "Phường Phú Xuân",
            "target": {"ward_codes": [PHU_XUAN]},
        }
        draft = await client.post("/v1/notification/alerts", json=warning, headers=bearer(operator))
        assert draft.status_code == 201, draft.text
        alert_id = draft.json()["id"]
        published = await client.post(
            f"/v1/notification/notices/{alert_id}/publish", headers=bearer(operator)
        )
        assert published.status_code == 200, published.text

        alerts = (await client.get("/v1/notification/inbox?kind=alert", headers=bearer(inside))).json()[
            "items"
        ]
        assert [a["id"] for a in alerts] == [alert_id]  # visible on commit: fan-out on read

        async def accepted() -> bool:
            path = f"/v1/notification/notices/{alert_id}/statistics"
            stats = (await client.get(path, headers=bearer(operator))).json()
            return bool(stats["accepted"] == 1)

        await _eventually(accepted)
        async with httpx.AsyncClient(base_url=push_sink) as sink:
            received = (await sink.get("/control/received")).json()["messages"]
        assert [m["token"] for m in received] == ["fcm-token-inside-phu-xuan"]
        assert received[0]["data"]["notice_id"] == alert_id
        others = (await client.get("/v1/notification/inbox?kind=alert", headers=bearer(elsewhere))).json()
        assert others["items"] == []
        feed = await client.get("/v1/notification/feeds/alerts.atom")
        assert feed.status_code == 200 and alert_id in feed.text
