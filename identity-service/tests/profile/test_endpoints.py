"""The caller's own account: full view, changes, export and closure (Law 91/2025)."""

import time
from typing import Any

import pyotp

from hues_shared.contracts.identity import AccountClosed, SessionRevoked
from hues_shared.testing.events import outbox_events
from hues_shared.testing.tokens import bearer
from identity_service.testing import CITIZEN_CCCD, PASSWORD, IdentityDriver


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
    export = (await api.client.post("/v1/me/export", json={"password": PASSWORD}, headers=headers)).json()
    assert export["account"]["document"]["number"] == CITIZEN_CCCD
    assert len(export["sessions"]) == 1 and len(export["password_changed_on"]) == 1
    assert {"account.registered", "account.verified", "login.succeeded"} <= {
        e["action"] for e in export["audit_events"]
    }


async def test_closing_my_account_erases_data_and_revokes_sessions(api: IdentityDriver) -> None:
    citizen = await api.active_citizen()
    token = await api.access_token(CITIZEN_CCCD)
    closed = await close_me(api, bearer(token), {"password": PASSWORD})
    assert closed.status_code == 204
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
    assert (await close_me(api, token, {"password": "anything-at-all"})).status_code == 403


async def test_a_token_alone_cannot_export_personal_data(api: IdentityDriver) -> None:
    """A borrowed phone or stolen 5-minute token must not walk away with everything (issue 7, item 14)."""
    await api.active_citizen()
    headers = bearer(await api.access_token(CITIZEN_CCCD))
    assert (await api.client.get("/v1/me/export", headers=headers)).status_code != 200
    wrong = await api.client.post("/v1/me/export", json={"password": "Wrong-Pass#1"}, headers=headers)
    assert wrong.status_code == 403 and wrong.json()["type"].endswith("/confirmation-failed")


async def test_a_token_alone_cannot_close_the_account(api: IdentityDriver) -> None:
    citizen = await api.active_citizen()
    headers = bearer(await api.access_token(CITIZEN_CCCD))
    assert (await api.client.delete("/v1/me", headers=headers)).status_code != 204
    assert (await close_me(api, headers, {"password": "Wrong-Pass#1"})).status_code == 403
    assert (await api.client.get("/v1/me", headers=headers)).json()["id"] == citizen["account_id"]


async def test_repeated_wrong_confirmations_are_delayed(api: IdentityDriver) -> None:
    await api.active_citizen()
    headers = bearer(await api.access_token(CITIZEN_CCCD))
    for _ in range(5):
        await close_me(api, headers, {"password": "Wrong-Pass#1"})
    assert (await close_me(api, headers, {"password": PASSWORD})).status_code == 429


async def test_with_a_second_factor_the_confirmation_needs_its_code(api: IdentityDriver) -> None:
    await api.active_citizen()
    headers = bearer(await api.access_token(CITIZEN_CCCD))
    secret = (await api.client.post("/v1/me/totp", headers=headers)).json()["secret"]
    totp = pyotp.TOTP(secret)
    assert (
        await api.client.post("/v1/me/totp/confirm", json={"code": totp.now()}, headers=headers)
    ).status_code == 204
    step = int(time.time() // 30) + 1
    without = await api.client.post("/v1/me/export", json={"password": PASSWORD}, headers=headers)
    assert without.status_code == 403
    with_code = await api.client.post(
        "/v1/me/export", json={"password": PASSWORD, "totp": totp.at(step * 30)}, headers=headers
    )
    assert with_code.status_code == 200, with_code.text


async def close_me(api: IdentityDriver, headers: dict[str, str], body: dict[str, str]) -> Any:
    return await api.client.request("DELETE", "/v1/me", json=body, headers=headers)
