"""Permissions per function (Art. 15.1): granted and revoked by the DIC, audited, published, in tokens."""

import sqlalchemy as sa
from jose import jwt

from hues_shared.contracts.identity import PermissionGranted, PermissionRevoked
from hues_shared.permissions import DEAD_LETTERS_MANAGE, REPORT_PROCESS
from hues_shared.testing.events import outbox_events
from hues_shared.testing.tokens import bearer
from identity_service.testing import CITIZEN_CCCD, IdentityDriver


async def test_catalogue_lists_the_declared_permissions(api: IdentityDriver) -> None:
    codes = {
        p["code"] for p in (await api.client.get("/v1/permissions", headers=bearer(api.keys.token()))).json()
    }
    assert {
        "feedback.report.process",
        "notification.alert.publish",
        "integration.application.review",
    } <= codes


async def test_granted_permission_appears_in_the_next_token_and_revocation_removes_it(
    api: IdentityDriver,
) -> None:
    unit_id = await api.create_unit("SO-TNMT")
    officer = await api.create_staff(unit_id)
    account = officer["account_id"]
    url = f"/v1/accounts/{account}/permissions"
    grant = await api.client.post(
        url, json={"permission": REPORT_PROCESS, "unit_id": unit_id}, headers=api.dic_admin_headers()
    )
    assert grant.status_code == 201
    # a temporary password gives a restricted token; the grant shows up in the account view instead
    view = await api.client.get(f"/v1/admin/accounts/{account}", headers=api.dic_admin_headers())
    assert view.json()["permissions"] == [f"{REPORT_PROCESS}@{unit_id}"]
    revoke = await api.client.delete(
        f"{url}/{REPORT_PROCESS}?unit_id={unit_id}", headers=api.dic_admin_headers()
    )
    assert revoke.status_code == 204
    grants = await api.client.get(url, headers=api.dic_admin_headers())
    assert grants.status_code == 200 and grants.json() == []
    view = await api.client.get(f"/v1/admin/accounts/{account}", headers=api.dic_admin_headers())
    assert view.json()["permissions"] == []
    assert [e.permission for e in await outbox_events(api.service.runtime, PermissionGranted)] == [
        REPORT_PROCESS
    ]
    assert [e.unit_id for e in await outbox_events(api.service.runtime, PermissionRevoked)] == [unit_id]
    async with api.service.runtime.db.sessions() as session:
        actions = set((await session.execute(sa.text("SELECT action FROM audit_events"))).scalars())
    assert {"permission.granted", "permission.revoked"} <= actions


async def test_citizen_token_carries_an_account_wide_grant(api: IdentityDriver) -> None:
    citizen = await api.active_citizen()
    url = f"/v1/accounts/{citizen['account_id']}/permissions"
    await api.client.post(
        url, json={"permission": "catalog.offering.manage"}, headers=api.dic_admin_headers()
    )
    claims = jwt.get_unverified_claims(await api.access_token(CITIZEN_CCCD))
    assert claims["permissions"] == ["catalog.offering.manage"]


async def test_granting_twice_publishes_once(api: IdentityDriver) -> None:
    citizen = await api.active_citizen()
    url = f"/v1/accounts/{citizen['account_id']}/permissions"
    for _ in range(2):
        assert (
            await api.client.post(url, json={"permission": REPORT_PROCESS}, headers=api.dic_admin_headers())
        ).status_code == 201
    assert len(await outbox_events(api.service.runtime, PermissionGranted)) == 1


async def test_unknown_permission_is_refused(api: IdentityDriver) -> None:
    citizen = await api.active_citizen()
    url = f"/v1/accounts/{citizen['account_id']}/permissions"
    assert (
        await api.client.post(url, json={"permission": "x.y.z"}, headers=api.dic_admin_headers())
    ).status_code == 422


async def test_only_the_dic_grants(api: IdentityDriver) -> None:
    citizen = await api.active_citizen()
    unit_id = await api.create_unit("SO-Z")
    agency_admin = bearer(api.keys.token(roles=["agency_admin"], kind="staff", unit=unit_id))
    url = f"/v1/accounts/{citizen['account_id']}/permissions"
    assert (
        await api.client.post(url, json={"permission": REPORT_PROCESS}, headers=agency_admin)
    ).status_code == 403


async def test_a_citizen_cannot_be_given_an_operator_permission(api: IdentityDriver) -> None:
    """`platform.deadletter.manage` granted to a citizen used to work (issue 14, item 9)."""
    citizen = await api.active_citizen()
    response = await api.client.post(
        f"/v1/accounts/{citizen['account_id']}/permissions",
        json={"permission": DEAD_LETTERS_MANAGE},
        headers=api.dic_admin_headers(),
    )
    assert response.status_code == 422
    assert response.json()["type"].endswith("/holder-not-allowed") and "staff" in response.json()["detail"]


async def test_the_catalogue_says_who_may_hold_each_permission(api: IdentityDriver) -> None:
    catalogue = (await api.client.get("/v1/permissions", headers=bearer(api.keys.token()))).json()
    holders = {p["code"]: p["holders"] for p in catalogue}
    assert holders[DEAD_LETTERS_MANAGE] == ["staff"] and holders["identity.account.administer"] == ["staff"]
