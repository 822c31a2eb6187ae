"""Tenancy (Art. 13.1): staff reach only their own provider; citizens only their own review."""

from typing import Any

from catalog_service.testing import CatalogApi, Personas
from hues_shared.permissions import OFFERING_MANAGE


async def _two_providers(
    api: CatalogApi,
) -> tuple[dict[str, Any], dict[str, str], dict[str, Any], dict[str, str]]:
    _, my_staff = await api.create_provider("Sở Y tế Thành phố Huế")
    theirs, their_staff = await api.create_provider("Sở Du lịch Thành phố Huế")
    offering = await api.publish(theirs["id"], title="Đại Nội Huế", category_code="heritage")
    return offering, my_staff, theirs, their_staff


async def test_staff_cannot_see_another_providers_suspended_offering(
    api: CatalogApi, personas: Personas
) -> None:
    offering, my_staff, _, their_staff = await _two_providers(api)
    url = f"/v1/offerings/{offering['id']}"
    await api.client.post(f"{url}/suspension", json={"reason": "sai giờ"}, headers=personas.ioc_moderator())
    assert (await api.client.get(url, headers=my_staff)).status_code == 404
    assert (await api.client.get(url, headers=their_staff)).status_code == 200


async def test_staff_cannot_list_another_providers_withdrawn_offerings(api: CatalogApi) -> None:
    offering, my_staff, theirs, their_staff = await _two_providers(api)
    await api.client.delete(f"/v1/offerings/{offering['id']}", headers=their_staff)
    listed = (await api.client.get(f"/v1/providers/{theirs['id']}/offerings", headers=my_staff)).json()
    assert listed["items"] == []


async def test_an_offering_cannot_be_moved_to_another_provider(api: CatalogApi) -> None:
    offering, my_staff, _, their_staff = await _two_providers(api)
    mine = next(pid for pid, headers in api.managers.items() if headers == my_staff)
    response = await api.client.patch(
        f"/v1/offerings/{offering['id']}",
        json={"provider_id": mine},
        headers={**their_staff, "If-Match": '"1"'},
    )
    assert response.status_code == 422


async def test_a_grant_for_many_units_still_excludes_the_others(api: CatalogApi, personas: Personas) -> None:
    offering, _, _, _ = await _two_providers(api)
    headers = personas.officer("U1", permissions=(f"{OFFERING_MANAGE}@U1", f"{OFFERING_MANAGE}@U2"))
    response = await api.client.delete(f"/v1/offerings/{offering['id']}", headers=headers)
    assert response.status_code == 403


async def test_a_unit_claim_in_the_token_grants_nothing_by_itself(
    api: CatalogApi, personas: Personas
) -> None:
    """The token's `unit` says where the officer works; only `code@unit` grants act (Art. 15.1)."""
    offering, _, theirs, _ = await _two_providers(api)
    headers = personas.officer(theirs["unit_id"], permissions=(OFFERING_MANAGE + "@elsewhere",))
    response = await api.client.delete(f"/v1/offerings/{offering['id']}", headers=headers)
    assert response.status_code == 403


async def test_a_citizen_cannot_touch_another_citizens_review(api: CatalogApi, personas: Personas) -> None:
    offering, _, _, _ = await _two_providers(api)
    url = f"/v1/offerings/{offering['id']}/reviews/mine"
    first = (await api.client.put(url, json={"rating": 5, "text": "Đẹp"}, headers=personas.citizen())).json()
    other = await api.client.put(url, json={"rating": 1, "text": "Xấu"}, headers=personas.citizen())
    assert other.status_code == 201 and other.json()["id"] != first["id"]
    reviews = (await api.client.get(f"/v1/offerings/{offering['id']}/reviews")).json()["items"]
    assert {r["rating"] for r in reviews} == {5, 1}


async def test_a_citizen_cannot_reply_as_the_provider(api: CatalogApi, personas: Personas) -> None:
    offering, _, _, _ = await _two_providers(api)
    me = personas.citizen()
    review = (
        await api.client.put(f"/v1/offerings/{offering['id']}/reviews/mine", json={"rating": 5}, headers=me)
    ).json()
    response = await api.client.put(f"/v1/reviews/{review['id']}/reply", json={"text": "Cảm ơn"}, headers=me)
    assert response.status_code == 403


async def test_provider_staff_cannot_hide_a_review_of_their_offering(
    api: CatalogApi, personas: Personas
) -> None:
    offering, _, _, their_staff = await _two_providers(api)
    url = f"/v1/offerings/{offering['id']}/reviews/mine"
    review = (await api.client.put(url, json={"rating": 1}, headers=personas.citizen())).json()
    hide = {"visible": False, "reason": "đánh giá xấu"}
    response = await api.client.post(f"/v1/reviews/{review['id']}/moderation", json=hide, headers=their_staff)
    assert response.status_code == 403


async def test_an_agency_admin_without_the_grant_cannot_publish(api: CatalogApi, personas: Personas) -> None:
    _, _, theirs, _ = await _two_providers(api)
    token = personas.keys.token(
        roles=["agency_admin"],
        kind="staff",
        unit=theirs["unit_id"],
        permissions=[f"identity.staff.manage@{theirs['unit_id']}"],
    )
    body = {"kind": "service", "category_code": "heritage", "title": "Lăng Tự Đức"}
    response = await api.client.post(
        f"/v1/providers/{theirs['id']}/offerings", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 403


async def test_staff_cannot_lift_their_own_providers_suspension(api: CatalogApi, personas: Personas) -> None:
    _, _, theirs, their_staff = await _two_providers(api)
    url = f"/v1/providers/{theirs['id']}/suspension"
    await api.client.post(url, json={"reason": "vi phạm"}, headers=personas.dic_admin())
    assert (await api.client.delete(url, headers=their_staff)).status_code == 403
    assert (await api.client.get(f"/v1/providers/{theirs['id']}")).status_code == 404


async def test_an_anonymous_caller_cannot_report_a_review(api: CatalogApi, personas: Personas) -> None:
    offering, _, _, _ = await _two_providers(api)
    url = f"/v1/offerings/{offering['id']}/reviews/mine"
    review = (await api.client.put(url, json={"rating": 4}, headers=personas.citizen())).json()
    response = await api.client.post(f"/v1/reviews/{review['id']}/reports", json={"reason": "spam spam"})
    assert response.status_code == 401
