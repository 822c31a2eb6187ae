"""Catalog through the gateway, as separate processes on PostgreSQL + Kafka (issue 12): a provider appears
(created by the DIC, or from an approved integration through integration's events), its own staff publish
an offering, a citizen finds it with an unaccented query and reviews it."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from hues_shared.testing.receivers import serving
from tests.e2e.conftest import (
    citizen_registration,
    random_cccd,
)
from tests.e2e.platform_processes import PlatformProcesses
from tests.e2e.test_gateway_journey import (
    _bootstrap_admin,
    _code_sent_to,
    _login,
    _register_and_verify,
    bearer,
)
from tests.e2e.test_partner_journey import partner_platform, random_tax_code, receiver, until

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.kafka]
__all__ = ["partner_platform"]  # the partner journey's platform (loopback partner URLs allowed), reused
ORGANIZATION = {
    "name": "Hội Ẩm thực Huế",
    "organization_kind": "other",
    "tax_code": "0100109106",
    "representative_name": "Phan Thị Dung",
    "phone": "0912345678",
    "password": "Kinh-Thanh#2026v",
}


async def _register_organization(
    client: httpx.AsyncClient, organization: dict[str, str] = ORGANIZATION
) -> str:
    response = await client.post("/v1/identity/accounts/organizations", json=organization)
    assert response.status_code == 201, response.text
    account_id = str(response.json()["account_id"])
    code = await _code_sent_to(client, str(organization["phone"]))
    verified = await client.post(
        "/v1/identity/accounts/verify", json={"account_id": account_id, "code": code}
    )
    assert verified.status_code == 200, verified.text
    return account_id


async def test_provider_staff_publish_and_a_citizen_finds_and_reviews(
    distributed_platform: PlatformProcesses,
) -> None:
    async with httpx.AsyncClient(base_url=distributed_platform.url("gateway"), timeout=15) as client:
        organization_id = await _register_organization(client)
        organization = await _login(client, str(ORGANIZATION["tax_code"]), str(ORGANIZATION["password"]))
        admin = await _bootstrap_admin(client)  # changes the bootstrap password first

        # The DIC registers the provider owned by the organization account (an approved integration
        # will do the same through integration's event once its contract exists).
        body = {"name": ORGANIZATION["name"], "kind": "organization", "owner_account_id": organization_id}
        created = await client.post("/v1/catalog/providers", json=body, headers=bearer(admin["access_token"]))
        assert created.status_code == 201, created.text
        provider_id = created.json()["id"]

        offering = {
            "kind": "service",
            "category_code": "dining",
            "title": "Bún bò Huế Mệ Kéo",
            "ward_code": "19768",
        }
        published = await client.post(
            f"/v1/catalog/providers/{provider_id}/offerings",
            json=offering,
            headers=bearer(organization["access_token"]),
        )
        assert published.status_code == 201, published.text
        offering_id = published.json()["id"]

        found = await client.get(
            "/v1/catalog/search", params={"q": "bun bo hue me keo"}
        )  # anonymous, unaccented
        assert found.status_code == 200, found.text
        assert [hit["id"] for hit in found.json()["items"]] == [offering_id]

        registration = citizen_registration(random_cccd())
        await _register_and_verify(client, registration)
        document = registration["document"]
        assert isinstance(document, dict)
        citizen = await _login(client, str(document["number"]), str(registration["password"]))
        review = await client.put(
            f"/v1/catalog/offerings/{offering_id}/reviews/mine",
            json={"rating": 5, "text": "Ngon đúng vị Huế"},
            headers=bearer(citizen["access_token"]),
        )
        assert review.status_code == 201, review.text

        rating = None
        for _ in range(150):  # the rating follows ReviewPosted through Kafka
            rating = (await client.get(f"/v1/catalog/offerings/{offering_id}")).json()
            if rating["rating_count"] == 1:
                break
            await asyncio.sleep(0.1)
        assert rating is not None and rating["rating_count"] == 1 and rating["rating_average"] == 5.0


async def test_an_approved_integrations_staff_publish_and_a_citizen_finds_it(
    partner_platform: PlatformProcesses,
) -> None:
    """Register organization -> application -> DIC approval (as the partner journey); catalog learns of
    the approval from integration's event and makes the organization a verified provider (Art. 15.2)."""
    async with (
        serving(receiver()) as partner_url,
        httpx.AsyncClient(base_url=partner_platform.url("gateway"), timeout=20) as client,
    ):
        coaches = {**ORGANIZATION, "name": "Công ty Xe khách Hoàng Long", "tax_code": random_tax_code()}
        coaches.update(organization_kind="enterprise", phone="0987654321")
        await _register_organization(client, coaches)
        enterprise = bearer((await _login(client, coaches["tax_code"], coaches["password"]))["access_token"])
        manifest = {
            "name": {"vi": "Nhà xe Hoàng Long Huế", "en": "Hoang Long coaches Hue"},
            "description": {"vi": "Lịch xe khách", "en": "Coach timetables"},
            "kind": "data_feed",
            "category": "transport",
            "requested_scopes": ["catalog.offering.write"],
            "health_url": f"{partner_url}/health",
            "support": {"name": "Hỗ trợ", "email": "support@hoanglong.example.vn"},
        }
        created = await client.post("/v1/integration/applications", json=manifest, headers=enterprise)
        assert created.status_code == 201, created.text
        base = f"/v1/integration/applications/{created.json()['id']}"
        assert (await client.post(f"{base}/submit", headers=enterprise)).status_code == 200

        async def report() -> Any:
            answer = await client.get(f"{base}/conformance", headers=enterprise)
            return answer.json() if answer.status_code == 200 else None

        assert (await until(report))["passed"]
        reviewer = bearer((await _bootstrap_admin(client))["access_token"])  # changes its password first
        approved = await client.post(f"{base}/decisions", json={"decision": "approve"}, headers=reviewer)
        assert approved.status_code == 200, approved.text

        async def provider() -> Any:  # ApplicationApproved reaches catalog through Kafka
            items = (await client.get("/v1/catalog/providers")).json()["items"]
            return next((p for p in items if p["integration_id"] == created.json()["id"]), None)

        found_provider = await until(provider)
        assert (found_provider["name"], found_provider["verified"]) == ("Nhà xe Hoàng Long Huế", True)

        offering = {"kind": "service", "category_code": "transport", "title": "Xe khách Huế - Đà Lạt"}
        published = await client.post(
            f"/v1/catalog/providers/{found_provider['id']}/offerings", json=offering, headers=enterprise
        )
        assert published.status_code == 201, published.text
        found = await client.get("/v1/catalog/search", params={"q": "xe khach hue da lat"})  # anonymous
        assert found.status_code == 200, found.text
        assert [hit["id"] for hit in found.json()["items"]] == [published.json()["id"]]
