"""Offerings: published and edited by their provider's own staff only (Art. 13.1), moderated by the IOC."""

import uuid
from typing import Any

from catalog_service.testing import CatalogApi, Personas
from hues_shared.contracts.catalog import OfferingPublished, OfferingSuspended, OfferingUpdated
from hues_shared.permissions import CATALOG_MODERATE, OFFERING_MANAGE
from hues_shared.testing.apps import RunningService
from hues_shared.testing.events import outbox_events

PHO = {"kind": "service", "category_code": "dining", "title": "Phở bò Huế", "ward_code": "19815"}
BIRTH = {
    "kind": "public-service",
    "category_code": "online-public-services",
    "title": "Đăng ký khai sinh",
    "procedure_code": "1.001193",
    "portal_url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193",
}


async def _offering(api: CatalogApi, **fields: Any) -> tuple[dict[str, Any], dict[str, str]]:
    provider, staff = await api.create_provider("Sở Tư pháp Thành phố Huế")
    return await api.publish(provider["id"], **(fields or PHO)), staff


async def test_staff_publish_an_offering_and_it_is_announced(
    api: CatalogApi, catalog: RunningService
) -> None:
    offering, _ = await _offering(api, **BIRTH)
    assert offering["status"] == "published" and offering["procedure_code"] == "1.001193"
    assert [e.offering_id for e in await outbox_events(catalog.runtime, OfferingPublished)] == [
        offering["id"]
    ]


async def test_an_officer_of_another_unit_cannot_publish_for_the_provider(
    api: CatalogApi, personas: Personas
) -> None:
    provider, _ = await api.create_provider("Sở Tư pháp Thành phố Huế")
    response = await api.client.post(
        f"/v1/providers/{provider['id']}/offerings", json=PHO, headers=personas.officer("U-other")
    )
    assert response.status_code == 403


async def test_a_citizen_cannot_publish(api: CatalogApi, personas: Personas) -> None:
    provider, _ = await api.create_provider("Sở Tư pháp Thành phố Huế")
    response = await api.client.post(
        f"/v1/providers/{provider['id']}/offerings", json=PHO, headers=personas.citizen()
    )
    assert response.status_code == 403
    assert response.json()["type"].endswith("/not-provider-staff")


async def test_an_officer_without_the_manage_grant_cannot_publish(
    api: CatalogApi, personas: Personas
) -> None:
    provider, _ = await api.create_provider("Sở Tư pháp Thành phố Huế")
    headers = personas.officer(
        provider["unit_id"], permissions=("feedback.report.process@" + provider["unit_id"],)
    )
    response = await api.client.post(f"/v1/providers/{provider['id']}/offerings", json=PHO, headers=headers)
    assert response.status_code == 403


async def test_a_grant_for_the_provider_unit_lets_an_officer_publish(
    api: CatalogApi, personas: Personas
) -> None:
    provider, _ = await api.create_provider("Sở Tư pháp Thành phố Huế")
    headers = personas.officer(
        "U-home", permissions=(f"{OFFERING_MANAGE}@U-x", f"{OFFERING_MANAGE}@{provider['unit_id']}")
    )
    response = await api.client.post(f"/v1/providers/{provider['id']}/offerings", json=PHO, headers=headers)
    assert response.status_code == 201


async def test_staff_of_another_provider_cannot_edit_or_withdraw(api: CatalogApi) -> None:
    offering, _ = await _offering(api)
    _, other_staff = await api.create_provider("Sở Y tế Thành phố Huế")
    url = f"/v1/offerings/{offering['id']}"
    assert (
        await api.client.patch(url, json={"title": "Bị sửa"}, headers={**other_staff, "If-Match": '"1"'})
    ).status_code == 403
    assert (await api.client.delete(url, headers=other_staff)).status_code == 403
    assert (await api.client.get(url)).json()["title"] == "Phở bò Huế"


async def test_an_organization_cannot_publish_into_another_organizations_provider(
    api: CatalogApi, personas: Personas
) -> None:
    provider, _ = await api.create_provider("Hội Ẩm thực Huế", "organization")
    intruder = personas.organization(str(uuid.uuid4()))
    response = await api.client.post(f"/v1/providers/{provider['id']}/offerings", json=PHO, headers=intruder)
    assert response.status_code == 403


async def test_a_public_service_needs_a_procedure_on_the_national_portal(api: CatalogApi) -> None:
    provider, staff = await api.create_provider("Sở Tư pháp Thành phố Huế")
    url = f"/v1/providers/{provider['id']}/offerings"
    elsewhere = {**BIRTH, "portal_url": "https://dichvucong.example.com/1.001193"}
    assert (await api.client.post(url, json=elsewhere, headers=staff)).status_code == 422
    no_code = {k: v for k, v in BIRTH.items() if k != "procedure_code"}
    assert (await api.client.post(url, json=no_code, headers=staff)).status_code == 422


async def test_unknown_category_kind_mismatch_and_foreign_ward_are_422(api: CatalogApi) -> None:
    provider, staff = await api.create_provider("Sở Tư pháp Thành phố Huế")
    url = f"/v1/providers/{provider['id']}/offerings"
    for body, slug in [
        ({**PHO, "category_code": "weapons"}, "unknown-category"),
        ({**PHO, "kind": "goods"}, "category-kind-mismatch"),
        ({**PHO, "ward_code": "00001"}, "unknown-ward"),
    ]:
        response = await api.client.post(url, json=body, headers=staff)
        assert response.status_code == 422 and response.json()["type"].endswith(slug), body


async def test_bad_opening_hours_are_422_naming_the_field(api: CatalogApi) -> None:
    provider, staff = await api.create_provider("Sở Tư pháp Thành phố Huế")
    body = {**PHO, "opening_hours": [{"day": "mon", "opens": "25:00", "closes": "10:00"}]}
    response = await api.client.post(f"/v1/providers/{provider['id']}/offerings", json=body, headers=staff)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].startswith("opening_hours")


async def test_an_edit_is_searchable_at_once(api: CatalogApi, catalog: RunningService) -> None:
    offering, staff = await _offering(api)
    url = f"/v1/offerings/{offering['id']}"
    response = await api.client.patch(url, json={"title": "Bún bò Huế"}, headers={**staff, "If-Match": '"1"'})
    assert response.status_code == 200 and response.headers["etag"] == '"2"'
    assert await api.search(q="bun bo") == ["Bún bò Huế"]
    assert "Phở bò Huế" not in await api.search(q="pho bo")
    assert len(await outbox_events(catalog.runtime, OfferingUpdated)) == 1


async def test_an_edit_that_breaks_the_whole_is_422(api: CatalogApi) -> None:
    offering, staff = await _offering(api, **BIRTH)
    url = f"/v1/offerings/{offering['id']}"
    response = await api.client.patch(
        url, json={"portal_url": "https://example.com/x"}, headers={**staff, "If-Match": '"1"'}
    )
    assert response.status_code == 422


async def test_a_withdrawn_offering_is_gone_for_the_public_but_not_for_its_staff(
    api: CatalogApi, catalog: RunningService
) -> None:
    offering, staff = await _offering(api)
    url = f"/v1/offerings/{offering['id']}"
    assert (await api.client.delete(url, headers=staff)).json()["status"] == "withdrawn"
    assert (await api.client.get(url)).status_code == 404
    assert (await api.client.get(url, headers=staff)).status_code == 200
    assert "Phở bò Huế" not in await api.search(q="pho bo")
    assert [e.by for e in await outbox_events(catalog.runtime, OfferingSuspended)] == ["provider"]


async def test_the_ioc_suspends_and_reinstates_an_offering(api: CatalogApi, personas: Personas) -> None:
    offering, _ = await _offering(api)
    url = f"/v1/offerings/{offering['id']}/suspension"
    response = await api.client.post(url, json={"reason": "thông tin sai"}, headers=personas.ioc_moderator())
    assert response.status_code == 200 and response.json()["status"] == "suspended"
    assert "Phở bò Huế" not in await api.search(q="pho bo")
    assert (await api.client.delete(url, headers=personas.ioc_moderator())).status_code == 200
    assert await api.search(q="pho bo") == ["Phở bò Huế"]


async def test_provider_staff_cannot_lift_a_moderation_suspension(
    api: CatalogApi, personas: Personas
) -> None:
    offering, staff = await _offering(api)
    url = f"/v1/offerings/{offering['id']}/suspension"
    await api.client.post(url, json={"reason": "thông tin sai"}, headers=personas.ioc_moderator())
    assert (await api.client.delete(url, headers=staff)).status_code == 403


async def test_a_unit_scoped_moderation_grant_does_not_moderate(api: CatalogApi, personas: Personas) -> None:
    offering, _ = await _offering(api)
    headers = personas.officer("U1", permissions=(f"{CATALOG_MODERATE}@U1",))
    response = await api.client.post(
        f"/v1/offerings/{offering['id']}/suspension", json={"reason": "xxx"}, headers=headers
    )
    assert response.status_code == 403


async def test_the_public_list_of_a_provider_hides_withdrawn_offerings(api: CatalogApi) -> None:
    provider, staff = await api.create_provider("Hội Ẩm thực Huế", "organization")
    kept = await api.publish(provider["id"], title="Cơm hến Hoa Đông")
    gone = await api.publish(provider["id"], title="Chè Hẻm")
    await api.client.delete(f"/v1/offerings/{gone['id']}", headers=staff)
    url = f"/v1/providers/{provider['id']}/offerings"
    assert [o["id"] for o in (await api.client.get(url)).json()["items"]] == [kept["id"]]
    assert len((await api.client.get(url, headers=staff)).json()["items"]) == 2


async def test_open_now_is_reported_on_the_offering(api: CatalogApi) -> None:
    hours = [
        {"day": d, "opens": "00:00", "closes": "00:00"}
        for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    ]
    offering, _ = await _offering(api, **{**PHO, "opening_hours": hours})
    assert offering["open_now"] is True
    plain, _ = await _offering(api)
    assert plain["open_now"] is None


async def test_a_retried_publish_with_the_same_idempotency_key_creates_one_offering(api: CatalogApi) -> None:
    provider, staff = await api.create_provider("Hội Ẩm thực Huế", "organization")
    url = f"/v1/providers/{provider['id']}/offerings"
    headers = {**staff, "Idempotency-Key": "publish-pho-1"}
    first = await api.client.post(url, json=PHO, headers=headers)
    again = await api.client.post(url, json=PHO, headers=headers)
    assert first.status_code == 201 and again.status_code == 201
    assert again.json()["id"] == first.json()["id"] and again.headers.get("idempotent-replayed") == "true"
    assert len((await api.client.get(url)).json()["items"]) == 1
