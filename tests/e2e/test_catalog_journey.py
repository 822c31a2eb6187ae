"""Catalog through the gateway, as separate processes on PostgreSQL + Kafka (issue 12): a provider appears,
its own staff publish an offering, a citizen finds it with an unaccented query and reviews it."""

from __future__ import annotations

import asyncio

import httpx
import pytest

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

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.kafka]
ORGANIZATION = {
    "name": "Hội Ẩm thực Huế",
    "organization_kind": "other",
    "tax_code": "0100109106",
    "representative_name": "Phan Thị Dung",
    "phone": "0912345678",
    "password": "Kinh-Thanh#2026v",
}


async def _register_organization(client: httpx.AsyncClient) -> str:
    response = await client.post("/v1/identity/accounts/organizations", json=ORGANIZATION)
    assert response.status_code == 201, response.text
    account_id = str(response.json()["account_id"])
    code = await _code_sent_to(client, str(ORGANIZATION["phone"]))
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
