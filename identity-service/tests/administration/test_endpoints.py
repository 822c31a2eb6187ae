"""Account administration by the DIC (Art. 13.2): search masked, lock, unlock, reset, close."""

from jose import jwt

from hues_shared.contracts.identity import AccountClosed, AccountLocked, AccountUnlocked, PasswordChanged
from hues_shared.testing.events import outbox_events
from hues_shared.testing.tokens import bearer
from identity_service.testing import CITIZEN_CCCD, PASSWORD, IdentityDriver


async def test_search_by_document_number_shows_it_masked(api: IdentityDriver) -> None:
    citizen = await api.active_citizen()
    page = await api.client.get(
        "/v1/admin/accounts", params={"identifier": CITIZEN_CCCD}, headers=api.dic_admin_headers()
    )
    assert page.status_code == 200
    [found] = page.json()["items"]
    assert found["id"] == citizen["account_id"]
    assert found["document"]["number"] == "*********234"
    assert found["phone"] != citizen["phone"] and found["email"] != citizen["email"]
    assert CITIZEN_CCCD not in page.text and "password" not in page.text.replace("password_", "")


async def test_search_by_name(api: IdentityDriver) -> None:
    await api.active_citizen()
    page = await api.client.get(
        "/v1/admin/accounts", params={"name": "văn an"}, headers=api.dic_admin_headers()
    )
    assert len(page.json()["items"]) == 1


async def test_search_needs_the_administer_permission(api: IdentityDriver) -> None:
    assert (await api.client.get("/v1/admin/accounts", headers=bearer(api.keys.token()))).status_code == 403


async def test_locked_account_loses_its_sessions_and_cannot_log_in(api: IdentityDriver) -> None:
    citizen = await api.active_citizen()
    token = await api.access_token(CITIZEN_CCCD)
    lock = await api.client.post(
        f"/v1/admin/accounts/{citizen['account_id']}/lock",
        json={"reason": "fraud report"},
        headers=api.dic_admin_headers(),
    )
    assert lock.status_code == 204
    assert (await api.client.get("/v1/me", headers=bearer(token))).status_code == 401
    assert "locked" in (await api.login(CITIZEN_CCCD)).json()["error_description"]
    [event] = await outbox_events(api.service.runtime, AccountLocked)
    assert event.reason == "fraud report" and event.locked_until is None
    unlock = await api.client.post(
        f"/v1/admin/accounts/{citizen['account_id']}/unlock", headers=api.dic_admin_headers()
    )
    assert unlock.status_code == 204
    assert len(await outbox_events(api.service.runtime, AccountUnlocked)) == 1
    assert (await api.login(CITIZEN_CCCD)).status_code == 200


async def test_unlock_lifts_a_brute_force_lockout(api: IdentityDriver) -> None:
    citizen = await api.active_citizen()
    for _ in range(5):
        await api.login(CITIZEN_CCCD, "Wrong-Pass#1")
    locked_out = await api.login(CITIZEN_CCCD)  # the right password, refused while locked out
    assert locked_out.status_code == 400 and locked_out.json().get("blocked") is True
    unlock = await api.client.post(
        f"/v1/admin/accounts/{citizen['account_id']}/unlock", headers=api.dic_admin_headers()
    )
    assert unlock.status_code == 204
    assert (await api.login(CITIZEN_CCCD)).status_code == 200


async def test_forced_reset_sends_a_temporary_password_only_to_the_owner(api: IdentityDriver) -> None:
    citizen = await api.active_citizen()
    response = await api.client.post(
        f"/v1/admin/accounts/{citizen['account_id']}/password-reset", headers=api.dic_admin_headers()
    )
    assert response.status_code == 204 and response.content == b""
    assert (await api.login(CITIZEN_CCCD)).status_code == 400
    temporary = await api.last_password_to(citizen["phone"])
    token = (await api.login(CITIZEN_CCCD, temporary)).json()["access_token"]
    assert jwt.get_unverified_claims(token)["pwd_expired"] is True
    assert len(await outbox_events(api.service.runtime, PasswordChanged)) == 1


async def test_dic_closes_an_account(api: IdentityDriver) -> None:
    citizen = await api.active_citizen()
    response = await api.client.post(
        f"/v1/admin/accounts/{citizen['account_id']}/close",
        json={"reason": "deceased"},
        headers=api.dic_admin_headers(),
    )
    assert response.status_code == 204
    assert [e.account_id for e in await outbox_events(api.service.runtime, AccountClosed)] == [
        citizen["account_id"]
    ]
    assert (await api.login(CITIZEN_CCCD, PASSWORD)).json()["error"] == "invalid_grant"


async def test_audit_log_is_readable_by_the_dic_only(api: IdentityDriver) -> None:
    citizen = await api.active_citizen()
    await api.login(CITIZEN_CCCD, "Wrong-Pass#1")
    log = await api.client.get(
        "/v1/audit-events", params={"account_id": citizen["account_id"]}, headers=api.dic_admin_headers()
    )
    actions = [e["action"] for e in log.json()["items"]]
    assert "login.failed" in actions and "account.registered" in actions
    assert (await api.client.get("/v1/audit-events", headers=bearer(api.keys.token()))).status_code == 403
