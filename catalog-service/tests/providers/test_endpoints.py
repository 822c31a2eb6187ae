"""Providers: created by the DIC or from integration approvals; profile by own staff; verified; suspended."""

import uuid
from datetime import UTC, datetime

from catalog_service.testing import CatalogApi, Personas, eventually
from hues_shared.contracts.catalog import ProviderPublished, ProviderReinstated, ProviderSuspended
from hues_shared.contracts.identity import AccountClosed
from hues_shared.events.outbox import envelope_for
from hues_shared.permissions import PROVIDER_MANAGE
from hues_shared.testing.apps import RunningService
from hues_shared.testing.events import outbox_events


async def test_dic_creates_an_agency_provider_and_publishes_it(
    api: CatalogApi, catalog: RunningService
) -> None:
    provider, _ = await api.create_provider("Sở Y tế Thành phố Huế", "agency")
    assert provider["status"] == "active" and provider["unit_id"]
    published = await outbox_events(catalog.runtime, ProviderPublished)
    assert [e.provider_id for e in published] == [provider["id"]]


async def test_an_agency_provider_needs_its_unit(api: CatalogApi, personas: Personas) -> None:
    response = await api.client.post(
        "/v1/providers", json={"name": "Sở Y tế", "kind": "agency"}, headers=personas.dic_admin()
    )
    assert response.status_code == 422


async def test_unknown_fields_are_refused(api: CatalogApi, personas: Personas) -> None:
    body = {"name": "Sở Y tế", "kind": "agency", "unit_id": "u1", "status": "active"}
    response = await api.client.post("/v1/providers", json=body, headers=personas.dic_admin())
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"


async def test_an_officer_cannot_create_providers(api: CatalogApi, personas: Personas) -> None:
    body = {"name": "Sở Y tế", "kind": "agency", "unit_id": "U1"}
    response = await api.client.post("/v1/providers", json=body, headers=personas.officer("U1"))
    assert response.status_code == 403


async def test_a_unit_scoped_provider_grant_does_not_count_as_the_dics(
    api: CatalogApi, personas: Personas
) -> None:
    body = {"name": "Sở Y tế", "kind": "agency", "unit_id": "U1"}
    headers = personas.officer("U1", permissions=(f"{PROVIDER_MANAGE}@U1",))
    assert (await api.client.post("/v1/providers", json=body, headers=headers)).status_code == 403


async def test_create_provider_replays_with_the_same_idempotency_key(
    api: CatalogApi, personas: Personas
) -> None:
    headers = {**personas.dic_admin(), "Idempotency-Key": "k-1"}
    body = {"name": "Sở Tư pháp", "kind": "agency", "unit_id": "U9"}
    first = await api.client.post("/v1/providers", json=body, headers=headers)
    again = await api.client.post("/v1/providers", json=body, headers=headers)
    assert again.headers.get("idempotent-replayed") == "true" and again.json()["id"] == first.json()["id"]


async def test_suspended_provider_leaves_search_and_returns_on_reinstatement(
    api: CatalogApi, personas: Personas, catalog: RunningService
) -> None:
    provider, _ = await api.create_provider("Hội Ẩm thực Huế", "organization")
    await api.publish(provider["id"], title="Cơm hến Hoa Đông")
    url = f"/v1/providers/{provider['id']}/suspension"
    response = await api.client.post(url, json={"reason": "hợp đồng tạm dừng"}, headers=personas.dic_admin())
    assert response.status_code == 200 and response.json()["status"] == "suspended"
    assert await api.search(q="com hen") == []
    assert (await api.client.delete(url, headers=personas.dic_admin())).status_code == 200
    assert await api.search(q="com hen") == ["Cơm hến Hoa Đông"]
    assert len(await outbox_events(catalog.runtime, ProviderSuspended)) == 1
    assert len(await outbox_events(catalog.runtime, ProviderReinstated)) == 1


async def test_suspended_provider_is_hidden_from_the_public_but_not_from_its_staff(
    api: CatalogApi, personas: Personas
) -> None:
    provider, staff = await api.create_provider("Công ty Du lịch Hương Giang", "enterprise")
    url = f"/v1/providers/{provider['id']}"
    await api.client.post(f"{url}/suspension", json={"reason": "kiểm tra"}, headers=personas.dic_admin())
    assert (await api.client.get(url)).status_code == 404
    assert (await api.client.get(url, headers=personas.citizen())).status_code == 404
    assert (await api.client.get(url, headers=staff)).json()["status"] == "suspended"


async def test_a_suspended_provider_cannot_publish(api: CatalogApi, personas: Personas) -> None:
    provider, staff = await api.create_provider("Công ty Du lịch Hương Giang", "enterprise")
    await api.client.post(
        f"/v1/providers/{provider['id']}/suspension",
        json={"reason": "kiểm tra"},
        headers=personas.dic_admin(),
    )
    body = {"kind": "service", "category_code": "lodging", "title": "Khách sạn Hương Giang"}
    response = await api.client.post(f"/v1/providers/{provider['id']}/offerings", json=body, headers=staff)
    assert response.status_code == 409


async def test_staff_edit_the_profile_from_the_version_they_read(api: CatalogApi) -> None:
    provider, staff = await api.create_provider("Sở Y tế Thành phố Huế")
    url = f"/v1/providers/{provider['id']}"
    etag = (await api.client.get(url)).headers["etag"]
    response = await api.client.patch(
        url, json={"phone": "0234 3822 325"}, headers={**staff, "If-Match": etag}
    )
    assert response.status_code == 200 and response.json()["phone"] == "0234 3822 325"
    assert response.headers["etag"] != etag


async def test_a_stale_edit_is_refused_with_412(api: CatalogApi) -> None:
    provider, staff = await api.create_provider("Sở Y tế Thành phố Huế")
    url = f"/v1/providers/{provider['id']}"
    etag = (await api.client.get(url)).headers["etag"]
    await api.client.patch(url, json={"phone": "0234 1"}, headers={**staff, "If-Match": etag})
    response = await api.client.patch(url, json={"phone": "0234 2"}, headers={**staff, "If-Match": etag})
    assert response.status_code == 412


async def test_an_edit_without_if_match_is_refused_with_428(api: CatalogApi) -> None:
    provider, staff = await api.create_provider("Sở Y tế Thành phố Huế")
    response = await api.client.patch(
        f"/v1/providers/{provider['id']}", json={"phone": "0234 1"}, headers=staff
    )
    assert response.status_code == 428


async def test_officer_of_another_unit_cannot_edit_the_profile(api: CatalogApi, personas: Personas) -> None:
    provider, _ = await api.create_provider("Sở Y tế Thành phố Huế")
    response = await api.client.patch(
        f"/v1/providers/{provider['id']}",
        json={"phone": "0234 1"},
        headers={**personas.officer("U-other"), "If-Match": '"1"'},
    )
    assert response.status_code == 403
    assert response.json()["type"].endswith("/outside-unit")


async def test_another_organization_cannot_edit_an_organization_provider(
    api: CatalogApi, personas: Personas
) -> None:
    provider, _ = await api.create_provider("Công ty Quản lý Chợ Huế", "enterprise")
    intruder = personas.organization(str(uuid.uuid4()))
    response = await api.client.patch(
        f"/v1/providers/{provider['id']}", json={"phone": "0234 1"}, headers={**intruder, "If-Match": '"1"'}
    )
    assert response.status_code == 403


async def test_a_unit_officer_cannot_manage_an_enterprise_provider(
    api: CatalogApi, personas: Personas
) -> None:
    provider, _ = await api.create_provider("Công ty Quản lý Chợ Huế", "enterprise")
    response = await api.client.patch(
        f"/v1/providers/{provider['id']}",
        json={"phone": "0234 1"},
        headers={**personas.officer("U1"), "If-Match": '"1"'},
    )
    assert response.status_code == 403


async def test_only_the_dic_sets_the_verified_mark(api: CatalogApi, personas: Personas) -> None:
    provider, staff = await api.create_provider("Sở Y tế Thành phố Huế")
    url = f"/v1/providers/{provider['id']}/verification"
    assert (await api.client.put(url, json={"verified": True}, headers=staff)).status_code == 403
    response = await api.client.put(url, json={"verified": True}, headers=personas.dic_admin())
    assert response.status_code == 200 and response.json()["verified"] is True


async def test_a_citizen_cannot_suspend_a_provider(api: CatalogApi, personas: Personas) -> None:
    provider, _ = await api.create_provider("Sở Y tế Thành phố Huế")
    url = f"/v1/providers/{provider['id']}/suspension"
    assert (
        await api.client.post(url, json={"reason": "không thích"}, headers=personas.citizen())
    ).status_code == 403


async def test_a_renamed_provider_is_found_under_its_new_name(api: CatalogApi) -> None:
    provider, staff = await api.create_provider("Hội Ẩm thực Huế", "organization")
    await api.publish(provider["id"], title="Cơm hến Hoa Đông")
    url = f"/v1/providers/{provider['id']}"
    await api.client.patch(url, json={"name": "Làng nghề Kim Long"}, headers={**staff, "If-Match": '"1"'})

    async def found() -> bool:
        return await api.search(q="lang nghe kim long") == ["Cơm hến Hoa Đông"]

    await eventually(found)  # the reindex follows ProviderUpdated through the bus


async def test_a_closed_owner_account_suspends_its_provider(api: CatalogApi, catalog: RunningService) -> None:
    provider, _ = await api.create_provider("Công ty Quản lý Chợ Huế", "enterprise")
    await api.publish(provider["id"], title="Chợ Đông Ba", kind="goods", category_code="market")
    closed = AccountClosed(account_id=provider["owner_account_id"], closed_at=datetime.now(UTC))
    await catalog.runtime.bus.publish([envelope_for(closed, source="/hues/identity-service")])

    async def suspended() -> bool:
        return bool((await api.client.get(f"/v1/providers/{provider['id']}")).status_code == 404)

    await eventually(suspended)
    assert await api.search(q="cho dong ba") == []


async def test_the_provider_list_pages_by_name_and_hides_suspended_ones_from_the_public(
    api: CatalogApi, personas: Personas
) -> None:
    for name in ("Sở Y tế", "Sở Tư pháp", "Sở Du lịch"):
        await api.create_provider(name)
    hidden, _ = await api.create_provider("Sở Công Thương")
    await api.client.post(
        f"/v1/providers/{hidden['id']}/suspension", json={"reason": "kiểm tra"}, headers=personas.dic_admin()
    )
    first = (await api.client.get("/v1/providers", params={"limit": 2})).json()
    rest = (await api.client.get("/v1/providers", params={"limit": 2, "cursor": first["next_cursor"]})).json()
    names = [p["name"] for p in first["items"] + rest["items"]]
    assert names == sorted(names) and len(names) == 3 and "Sở Công Thương" not in names
    assert rest["next_cursor"] is None
    everything = (await api.client.get("/v1/providers", headers=personas.dic_admin())).json()["items"]
    assert "Sở Công Thương" in [p["name"] for p in everything]
