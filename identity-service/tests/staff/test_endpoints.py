"""Units and staff: the DIC everywhere; agency admins only their own unit's officers (Art. 13.1)."""

from jose import jwt

from hues_shared.contracts.identity import RoleGranted, RoleRevoked
from hues_shared.testing.events import outbox_events
from hues_shared.testing.tokens import bearer
from identity_service.testing import IdentityDriver

NEW_PASSWORD = "Ngo-Mon#1833ab"


def agency_admin(api: IdentityDriver, unit_id: str, sub: str | None = None) -> dict[str, str]:
    return bearer(api.keys.token(sub=sub, roles=["agency_admin"], kind="staff", unit=unit_id))


async def test_staff_login_carries_roles_and_unit_and_must_change_the_temporary_password(
    api: IdentityDriver,
) -> None:
    unit_id = await api.create_unit("UBND-THUANAN", kind="ward_committee")
    staff = await api.create_staff(unit_id)
    temporary = await api.last_password_to(staff["phone"])
    first = await api.login(staff["phone"], temporary)
    claims = jwt.get_unverified_claims(first.json()["access_token"])
    assert claims["pwd_expired"] is True and claims["kind"] == "staff"
    change = await api.client.post(
        "/v1/me/password",
        json={"current_password": temporary, "new_password": NEW_PASSWORD},
        headers=bearer(first.json()["access_token"]),
    )
    assert change.status_code == 204
    claims = jwt.get_unverified_claims(await api.access_token(staff["phone"], NEW_PASSWORD))
    assert (
        claims["roles"] == ["agency_officer"] and claims["unit"] == unit_id and claims["pwd_expired"] is False
    )


async def test_agency_admin_creates_officers_of_its_own_unit(api: IdentityDriver) -> None:
    unit_id = await api.create_unit("SO-YT")
    staff = await api.create_staff(unit_id, headers=agency_admin(api, unit_id))
    assert staff["roles"] == ["agency_officer"]


async def test_agency_admin_cannot_create_staff_in_another_unit(api: IdentityDriver) -> None:
    own, other = await api.create_unit("SO-A"), await api.create_unit("SO-B")
    response = await api.client.post(
        f"/v1/units/{other}/staff",
        json={"full_name": "X Y", "phone": api.next_phone()},
        headers=agency_admin(api, own),
    )
    assert response.status_code == 403


async def test_agency_admin_cannot_create_another_admin(api: IdentityDriver) -> None:
    unit_id = await api.create_unit("SO-C")
    response = await api.client.post(
        f"/v1/units/{unit_id}/staff",
        json={"full_name": "X Y", "phone": api.next_phone(), "role": "agency_admin"},
        headers=agency_admin(api, unit_id),
    )
    assert response.status_code == 403


async def test_officer_cannot_create_staff_even_in_its_own_unit(api: IdentityDriver) -> None:
    unit_id = await api.create_unit("SO-D")
    officer = bearer(api.keys.token(roles=["agency_officer"], kind="staff", unit=unit_id))
    response = await api.client.post(
        f"/v1/units/{unit_id}/staff", json={"full_name": "X Y", "phone": api.next_phone()}, headers=officer
    )
    assert response.status_code == 403


async def test_officer_of_other_unit_cannot_be_managed(api: IdentityDriver) -> None:
    own, other = await api.create_unit("SO-E"), await api.create_unit("SO-F")
    stranger = await api.create_staff(other)
    headers = agency_admin(api, own)
    account = stranger["account_id"]
    assert (
        await api.client.post(
            f"/v1/accounts/{account}/roles", json={"role": "agency_officer"}, headers=headers
        )
    ).status_code == 403
    assert (
        await api.client.delete(f"/v1/accounts/{account}/roles/agency_officer", headers=headers)
    ).status_code == 403
    lock = await api.client.post(
        f"/v1/admin/accounts/{account}/lock", json={"reason": "test"}, headers=headers
    )
    assert lock.status_code == 403
    assert (
        await api.client.post(f"/v1/admin/accounts/{account}/password-reset", headers=headers)
    ).status_code == 403
    assert (await api.client.get(f"/v1/units/{other}/staff", headers=headers)).status_code == 403


async def test_agency_admin_locks_and_unlocks_its_own_officer(api: IdentityDriver) -> None:
    unit_id = await api.create_unit("SO-G")
    officer = await api.create_staff(unit_id)
    headers = agency_admin(api, unit_id)
    lock = await api.client.post(
        f"/v1/admin/accounts/{officer['account_id']}/lock", json={"reason": "leave"}, headers=headers
    )
    assert lock.status_code == 204
    assert (
        await api.client.post(f"/v1/admin/accounts/{officer['account_id']}/unlock", headers=headers)
    ).status_code == 204


async def test_agency_admin_cannot_lock_a_fellow_admin(api: IdentityDriver) -> None:
    unit_id = await api.create_unit("SO-H")
    fellow = await api.create_staff(unit_id, role="agency_admin")
    response = await api.client.post(
        f"/v1/admin/accounts/{fellow['account_id']}/lock",
        json={"reason": "x-y-z"},
        headers=agency_admin(api, unit_id),
    )
    assert response.status_code == 403


async def test_dic_assigns_and_revokes_roles_with_events(api: IdentityDriver) -> None:
    unit_id = await api.create_unit("SO-I")
    officer = await api.create_staff(unit_id)
    account = officer["account_id"]
    granted = await api.client.post(
        f"/v1/accounts/{account}/roles", json={"role": "agency_admin"}, headers=api.dic_admin_headers()
    )
    assert granted.json()["roles"] == ["agency_admin", "agency_officer"]
    revoked = await api.client.delete(
        f"/v1/accounts/{account}/roles/agency_officer", headers=api.dic_admin_headers()
    )
    assert revoked.status_code == 204
    assert [e.role for e in await outbox_events(api.service.runtime, RoleGranted)] == [
        "agency_officer",
        "agency_admin",
    ]
    assert [(e.role, e.unit_id) for e in await outbox_events(api.service.runtime, RoleRevoked)] == [
        ("agency_officer", unit_id)
    ]


async def test_dic_admin_role_needs_the_dic_unit(api: IdentityDriver) -> None:
    unit_id = await api.create_unit("SO-J")
    response = await api.client.post(
        f"/v1/units/{unit_id}/staff",
        json={"full_name": "X Y", "phone": api.next_phone(), "role": "dic_admin"},
        headers=api.dic_admin_headers(),
    )
    assert response.status_code == 422


async def test_unit_staff_list_masks_personal_data(api: IdentityDriver) -> None:
    unit_id = await api.create_unit("SO-K")
    officer = await api.create_staff(unit_id)
    page = (await api.client.get(f"/v1/units/{unit_id}/staff", headers=agency_admin(api, unit_id))).json()
    assert page["items"][0]["phone"] != officer["phone"] and "*" in page["items"][0]["phone"]


async def test_unit_staff_list_honours_the_page_size(api: IdentityDriver) -> None:
    unit_id = await api.create_unit("SO-PAGE")
    created = {(await api.create_staff(unit_id))["account_id"] for _ in range(3)}
    url, headers = f"/v1/units/{unit_id}/staff", api.dic_admin_headers()
    first = (await api.client.get(url, params={"limit": 2}, headers=headers)).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = (
        await api.client.get(url, params={"limit": 2, "cursor": first["next_cursor"]}, headers=headers)
    ).json()
    assert {a["id"] for a in first["items"] + second["items"]} == created and second["next_cursor"] is None


async def test_a_temporary_password_still_reads_me(api: IdentityDriver) -> None:
    """First sign-in with a temporary password was a dead end: 403 even on /me (issue 14, item 7)."""
    staff = await api.create_staff(await api.create_unit("SO-TMP"))
    first = await api.login(staff["phone"], await api.last_password_to(staff["phone"]))
    me = await api.client.get("/v1/me", headers=bearer(first.json()["access_token"]))
    assert me.status_code == 200 and me.json()["password_must_change"] is True


async def test_a_citizen_is_refused_at_the_staff_routes_before_anything_is_read(api: IdentityDriver) -> None:
    """Function-level gate first (403), whatever the body or the ids (authorization matrix)."""
    citizen = bearer(api.keys.token())
    for method, path in (("POST", "/v1/units/x/staff"), ("GET", "/v1/accounts/x/roles")):
        assert (await api.client.request(method, path, headers=citizen)).status_code == 403
    assert (await api.client.post("/v1/admin/accounts/x/unlock", headers=citizen)).status_code == 403
