"""Unit-scoped grants (Art. 13.1): a grant "within unit X" travels as `code@X` and reaches unit X only.

Each attack signs in for real: the DIC grants a permission within one unit, the holder logs in, and
the token identity issued is used against another unit (issue 7, item 9).
"""

from typing import Any

from jose import jwt

from hues_shared.permissions import (
    ACCOUNTS_ADMINISTER,
    AUDIT_READ,
    PERMISSIONS_GRANT,
    REPORT_PROCESS,
    STAFF_MANAGE,
    UNITS_MANAGE,
)
from hues_shared.testing.tokens import bearer
from identity_service.testing import IdentityDriver

NEW_PASSWORD = "Ngo-Mon#1833ab"


async def signed_in_staff(
    api: IdentityDriver, unit_id: str, *, role: str = "agency_admin", grants: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A staff member of `unit_id` holding `grants` within that unit, signed in with a real token."""
    staff = await api.create_staff(unit_id, role=role)
    for code in grants:
        response = await api.client.post(
            f"/v1/accounts/{staff['account_id']}/permissions",
            json={"permission": code, "unit_id": unit_id},
            headers=api.dic_admin_headers(),
        )
        assert response.status_code == 201, response.text
    temporary = await api.last_password_to(staff["phone"])
    first = await api.login(staff["phone"], temporary)
    changed = await api.client.post(
        "/v1/me/password",
        json={"current_password": temporary, "new_password": NEW_PASSWORD},
        headers=bearer(first.json()["access_token"]),
    )
    assert changed.status_code == 204, changed.text
    token = await api.access_token(staff["phone"], NEW_PASSWORD)
    return {**staff, "token": token, "headers": bearer(token)}


async def test_grant_within_a_unit_travels_in_the_token_as_code_at_unit(api: IdentityDriver) -> None:
    unit_id = await api.create_unit("SO-TNMT")
    officer = await signed_in_staff(api, unit_id, role="agency_officer", grants=(REPORT_PROCESS,))
    claims = jwt.get_unverified_claims(officer["token"])
    assert claims["permissions"] == [f"{REPORT_PROCESS}@{unit_id}"]


async def test_staff_manager_within_a_unit_cannot_create_a_dic_admin_in_the_dic(api: IdentityDriver) -> None:
    unit_id, dic_id = await api.create_unit("SO-XD"), await api.create_unit("DIC-X", kind="dic")
    manager = await signed_in_staff(api, unit_id, grants=(STAFF_MANAGE,))
    response = await api.client.post(
        f"/v1/units/{dic_id}/staff",
        json={"full_name": "Kẻ Giả Mạo", "phone": api.next_phone(), "role": "dic_admin"},
        headers=manager["headers"],
    )
    assert response.status_code == 403
    assert response.json()["type"].endswith("/outside-unit")


async def test_staff_manager_within_a_unit_cannot_mint_a_dic_admin_in_its_own_unit(
    api: IdentityDriver,
) -> None:
    dic_id = await api.create_unit("DIC-Y", kind="dic")
    manager = await signed_in_staff(api, dic_id, role="agency_admin", grants=(STAFF_MANAGE,))
    response = await api.client.post(
        f"/v1/units/{dic_id}/staff",
        json={"full_name": "Kẻ Giả Mạo", "phone": api.next_phone(), "role": "dic_admin"},
        headers=manager["headers"],
    )
    assert response.status_code == 403
    assert response.json()["type"].endswith("/role-not-assignable")


async def test_staff_manager_within_a_unit_creates_staff_of_that_unit(api: IdentityDriver) -> None:
    unit_id = await api.create_unit("SO-GD")
    manager = await signed_in_staff(api, unit_id, grants=(STAFF_MANAGE,))
    created = await api.create_staff(unit_id, role="agency_admin", headers=manager["headers"])
    assert created["roles"] == ["agency_admin"]


async def test_account_administrator_within_a_unit_cannot_lock_a_citizen(api: IdentityDriver) -> None:
    unit_id = await api.create_unit("SO-YT2")
    admin = await signed_in_staff(api, unit_id, grants=(ACCOUNTS_ADMINISTER,))
    citizen = await api.active_citizen()
    response = await api.client.post(
        f"/v1/admin/accounts/{citizen['account_id']}/lock",
        json={"reason": "thử tấn công"},
        headers=admin["headers"],
    )
    assert response.status_code == 403


async def test_account_administrator_within_a_unit_cannot_lock_staff_of_another_unit(
    api: IdentityDriver,
) -> None:
    own, other = await api.create_unit("SO-A1"), await api.create_unit("SO-B1")
    admin = await signed_in_staff(api, own, grants=(ACCOUNTS_ADMINISTER,))
    stranger = await api.create_staff(other)
    response = await api.client.post(
        f"/v1/admin/accounts/{stranger['account_id']}/lock",
        json={"reason": "thử tấn công"},
        headers=admin["headers"],
    )
    assert response.status_code == 403


async def test_account_administrator_within_a_unit_locks_its_own_units_staff(api: IdentityDriver) -> None:
    unit_id = await api.create_unit("SO-C1")
    admin = await signed_in_staff(api, unit_id, grants=(ACCOUNTS_ADMINISTER,))
    officer = await api.create_staff(unit_id)
    response = await api.client.post(
        f"/v1/admin/accounts/{officer['account_id']}/lock",
        json={"reason": "nghỉ việc"},
        headers=admin["headers"],
    )
    assert response.status_code == 204


async def test_account_administrator_within_a_unit_searches_only_its_unit(api: IdentityDriver) -> None:
    own, other = await api.create_unit("SO-D1"), await api.create_unit("SO-E1")
    admin = await signed_in_staff(api, own, grants=(ACCOUNTS_ADMINISTER,))
    await api.active_citizen()
    await api.create_staff(other)
    page = await api.client.get("/v1/admin/accounts", headers=admin["headers"])
    assert page.status_code == 200
    assert {a["unit_id"] for a in page.json()["items"]} == {own}
    elsewhere = await api.client.get(
        "/v1/admin/accounts", params={"unit_id": other}, headers=admin["headers"]
    )
    assert elsewhere.status_code == 403


async def test_permission_granter_within_a_unit_cannot_grant_platform_wide(api: IdentityDriver) -> None:
    unit_id = await api.create_unit("SO-F1")
    granter = await signed_in_staff(api, unit_id, grants=(PERMISSIONS_GRANT,))
    officer = await api.create_staff(unit_id)
    url = f"/v1/accounts/{officer['account_id']}/permissions"
    platform_wide = await api.client.post(
        url, json={"permission": ACCOUNTS_ADMINISTER}, headers=granter["headers"]
    )
    assert platform_wide.status_code == 403
    within = await api.client.post(
        url, json={"permission": REPORT_PROCESS, "unit_id": unit_id}, headers=granter["headers"]
    )
    assert within.status_code == 201


async def test_permission_granter_within_a_unit_cannot_grant_to_another_units_account(
    api: IdentityDriver,
) -> None:
    own, other = await api.create_unit("SO-G1"), await api.create_unit("SO-H1")
    granter = await signed_in_staff(api, own, grants=(PERMISSIONS_GRANT,))
    stranger = await api.create_staff(other)
    for unit in (own, other):
        response = await api.client.post(
            f"/v1/accounts/{stranger['account_id']}/permissions",
            json={"permission": REPORT_PROCESS, "unit_id": unit},
            headers=granter["headers"],
        )
        assert response.status_code == 403


async def test_unit_manager_within_a_unit_cannot_rename_another_unit(api: IdentityDriver) -> None:
    own, other = await api.create_unit("SO-I1"), await api.create_unit("SO-J1")
    manager = await signed_in_staff(api, own, grants=(UNITS_MANAGE,))
    response = await api.client.patch(
        f"/v1/units/{other}", json={"name": "Bị đổi"}, headers=manager["headers"]
    )
    assert response.status_code == 403
    mine = await api.client.patch(f"/v1/units/{own}", json={"name": "Đổi tên"}, headers=manager["headers"])
    assert mine.status_code == 200


async def test_unit_manager_within_a_unit_cannot_create_a_top_level_unit(api: IdentityDriver) -> None:
    own = await api.create_unit("SO-K1")
    manager = await signed_in_staff(api, own, grants=(UNITS_MANAGE,))
    response = await api.client.post(
        "/v1/units", json={"code": "DIC-FAKE", "name": "Giả", "kind": "dic"}, headers=manager["headers"]
    )
    assert response.status_code == 403


async def test_audit_reader_within_a_unit_cannot_read_the_platform_log(api: IdentityDriver) -> None:
    unit_id = await api.create_unit("SO-L1")
    reader = await signed_in_staff(api, unit_id, grants=(AUDIT_READ,))
    assert (await api.client.get("/v1/audit-events", headers=reader["headers"])).status_code == 403
