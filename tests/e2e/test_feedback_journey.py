"""Issue 11 end to end, through the gateway only, services as processes on PostgreSQL and the Kafka-protocol
broker: the DIC creates a unit (identity -> feedback over Kafka), a citizen reports with a photo, the IOC
accepts, the unit handles, the IOC publishes, the citizen rates; the citizen reads each status change in the
notification inbox (feedback -> notification over Kafka); the public feed and statistics show it."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import httpx
import pytest

from feedback_service.testing import PHU_XUAN, photo_with_gps, report_body
from tests.e2e.conftest import citizen_registration, random_cccd
from tests.e2e.platform_processes import PlatformProcesses
from tests.e2e.test_gateway_journey import _bootstrap_admin, _login, _register_and_verify

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.kafka]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _eventually(call: Any, done: Any, *, tries: int = 150) -> Any:
    result = None
    for _ in range(tries):
        result = await call()
        if done(result):
            return result
        await asyncio.sleep(0.1)
    raise AssertionError(f"never reached: {result!r}")


async def _step(client: httpx.AsyncClient, admin: dict[str, str], rid: str, step: str, body: dict) -> dict:
    etag = (await client.get(f"/v1/feedback/reports/{rid}", headers=admin)).headers["ETag"]
    response = await client.post(
        f"/v1/feedback/reports/{rid}/{step}", json=body, headers={**admin, "If-Match": etag}
    )
    assert response.status_code == 200, (step, response.text)
    return dict(response.json())


async def test_report_journey_through_the_gateway(distributed_platform: PlatformProcesses) -> None:
    async with httpx.AsyncClient(base_url=distributed_platform.url("gateway"), timeout=20) as client:
        registration = citizen_registration(random_cccd())
        await _register_and_verify(client, registration)
        document = registration["document"]
        assert isinstance(document, dict)
        citizen = bearer(
            (await _login(client, str(document["number"]), str(registration["password"])))["access_token"]
        )
        # The bootstrap DIC administrator holds every permission city-wide: IOC triage and unit handling.
        # Its bootstrap password opens only the password change (issue 14, item 7): changed first.
        admin = bearer((await _bootstrap_admin(client))["access_token"])

        unit = await client.post(
            "/v1/identity/units",
            json={"code": f"UBND-PX-{random.randint(1000, 9999)}", "name": "UBND phường Phú Xuân",
                  "kind": "ward_committee", "ward_code": PHU_XUAN},
            headers=admin,
        )  # fmt: skip
        assert unit.status_code == 201, unit.text
        unit_id = unit.json()["id"]

        async def route() -> httpx.Response:  # 422 unknown-unit until UnitCreated reached feedback over Kafka
            return await client.put(
                "/v1/feedback/categories/roads-traffic/routing-rules",
                json={"ward_code": PHU_XUAN, "unit_id": unit_id},
                headers=admin,
            )

        await _eventually(route, lambda r: r.status_code == 200)

        report = await client.post("/v1/feedback/reports", json=report_body(), headers=citizen)
        assert report.status_code == 201, report.text
        rid = report.json()["id"]
        assert report.json()["suggested_unit_id"] == unit_id
        photo = await client.post(
            f"/v1/feedback/reports/{rid}/media", files={"file": ("p.jpg", photo_with_gps(), "image/jpeg")},
            headers=citizen,
        )  # fmt: skip
        assert photo.status_code == 201, photo.text
        served = await client.get(photo.json()["url"])
        assert served.status_code == 200 and b"EOS-SECRET-MODEL" not in served.content

        assert (await _step(client, admin, rid, "accept", {}))["unit_id"] == unit_id
        await _step(client, admin, rid, "acknowledge", {})
        await _step(client, admin, rid, "start", {})
        await _step(client, admin, rid, "resolve", {"result": "Đã vá ổ gà"})
        await _step(client, admin, rid, "publish", {})
        rated = await client.post(f"/v1/feedback/reports/{rid}/rate", json={"satisfied": True, "score": 5},
                                  headers=citizen)  # fmt: skip
        assert rated.status_code == 200 and rated.json()["status"] == "closed"

        # The status messages reach the reporter's inbox through the gateway, one per status change.
        expected = ["report-accepted", "report-assigned", "report-in-progress", "report-resolved",
                    "report-published", "report-closed"]  # fmt: skip

        async def messages() -> list[dict[str, Any]]:
            response = await client.get("/v1/notification/inbox?kind=message&limit=50", headers=citizen)
            assert response.status_code == 200, response.text
            return [i for i in response.json()["items"] if i["type"].startswith("report-")]

        inbox = await _eventually(messages, lambda items: {i["type"] for i in items} >= set(expected))
        assert sorted(i["type"] for i in inbox) == sorted(expected)  # exactly one each, no acknowledged
        resolved = next(i for i in inbox if i["type"] == "report-resolved")
        assert "Đã vá ổ gà" in resolved["body"] and resolved["title"] == "Phản ánh đã được xử lý"

        feed = (await client.get("/v1/feedback/public/reports", params={"ward_code": PHU_XUAN})).json()[
            "items"
        ]
        mine = next(item for item in feed if item["id"] == rid)
        assert mine["unit_name"] == "UBND phường Phú Xuân" and mine["result"] == "Đã vá ổ gà"

        async def statistics() -> list[dict[str, Any]]:
            response = await client.get("/v1/feedback/statistics/units", params={"unit_id": unit_id})
            return list(response.json())

        [stats] = await _eventually(statistics, lambda rows: bool(rows) and rows[0]["rated"] == 1)
        assert stats["handled"] == 1 and stats["handled_on_time"] == 1 and stats["satisfaction_rate"] == 1.0

        open311 = await client.get(f"/open311/v2/requests/{rid}.json")
        assert open311.status_code == 200 and open311.json()[0]["status"] == "closed"
