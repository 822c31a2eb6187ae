"""The caller's own account: full view, changes, export and closure (Law 91/2025)."""

from hues_shared.contracts.identity import AccountClosed, SessionRevoked
from hues_shared.testing.events import outbox_events
from hues_shared.testing.tokens import bearer
from identity_service.testing import CITIZEN_CCCD, IdentityDriver


async def test_owner_sees_personal_data_in_full(api: IdentityDriver) -> None:
    citizen = await api.active_citizen()
    me = (await api.client.get("/v1/me", headers=bearer(await api.access_token(CITIZEN_CCCD)))).json()
    assert me["document"] == {"type": "cccd", "number": CITIZEN_CCCD}
    assert me["phone"] == citizen["phone"] and me["roles"] == ["citizen"]


async def test_profile_update_changes_email_and_home_ward(api: IdentityDriver) -> None:
    await api.active_citizen()
    ward = (await api.client.get("/v1/wards")).json()[0]["code"]
    headers = bearer(await api.access_token(CITIZEN_CCCD))
    response = await api.client.patch(
        "/v1/me", json={"email": "AN@Example.vn", "home_ward_code": ward}, headers=headers
    )
    assert response.status_code == 200
    assert response.json()["email"] == "an@example.vn" and response.json()["home_ward_code"] == ward


async def test_export_contains_everything_identity_holds(api: IdentityDriver) -> None:
    await api.active_citizen()
    headers = bearer(await api.access_token(CITIZEN_CCCD))
    export = (await api.client.get("/v1/me/export", headers=headers)).json()
    assert export["account"]["document"]["number"] == CITIZEN_CCCD
    assert len(export["sessions"]) == 1 and len(export["password_changed_on"]) == 1
    assert {"account.registered", "account.verified", "login.succeeded"} <= {
        e["action"] for e in export["audit_events"]
    }


async def test_closing_my_account_erases_data_and_revokes_sessions(api: IdentityDriver) -> None:
    citizen = await api.active_citizen()
    token = await api.access_token(CITIZEN_CCCD)
    assert (await api.client.delete("/v1/me", headers=bearer(token))).status_code == 204
    assert (await api.client.get("/v1/me", headers=bearer(token))).status_code == 401
    assert [e.account_id for e in await outbox_events(api.service.runtime, AccountClosed)] == [
        citizen["account_id"]
    ]
    assert (await outbox_events(api.service.runtime, SessionRevoked))[-1].reason == "account_closed"
    async with api.service.runtime.db.sessions() as session:
        from identity_service.accounts.models import Account

        account = await session.get(Account, citizen["account_id"])
    assert account is not None and account.document_number_enc is None and account.phone_enc is None
    # the document is free again: the same citizen may register anew
    assert (await api.register_citizen()).status_code == 201


async def test_staff_cannot_close_their_own_account(api: IdentityDriver) -> None:
    unit_id = await api.create_unit("SO-L")
    staff = await api.create_staff(unit_id)
    token = bearer(
        api.keys.token(sub=staff["account_id"], roles=["agency_officer"], kind="staff", unit=unit_id)
    )
    assert (await api.client.delete("/v1/me", headers=token)).status_code == 403
