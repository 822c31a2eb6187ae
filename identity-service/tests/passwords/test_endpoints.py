"""Password change, history, 90-day expiry and reminders (Art. 9.1)."""

from datetime import timedelta

import sqlalchemy as sa
from jose import jwt

from hues_shared.contracts.identity import PasswordChanged, PasswordExpiring, SessionRevoked
from hues_shared.testing.events import outbox_events
from hues_shared.testing.tokens import bearer
from identity_service.accounts.models import Account
from identity_service.components import identity_components
from identity_service.passwords.service import publish_expiry_reminders
from identity_service.testing import CITIZEN_CCCD, PASSWORD, IdentityDriver, backdate

NEW_PASSWORD = "Dai-Noi!1802x"


async def _age_password(api: IdentityDriver, days: int) -> None:
    await backdate(api.service, Account, "password_changed_at", timedelta(days=days))


async def _change(api: IdentityDriver, token: str, current: str, new: str):
    return await api.client.post(
        "/v1/me/password", json={"current_password": current, "new_password": new}, headers=bearer(token)
    )


async def test_change_password_ends_every_session_and_publishes(api: IdentityDriver) -> None:
    await api.active_citizen()
    token = await api.access_token(CITIZEN_CCCD)
    assert (await _change(api, token, PASSWORD, NEW_PASSWORD)).status_code == 204
    assert len(await outbox_events(api.service.runtime, PasswordChanged)) == 1
    assert any(
        e.reason == "password_changed" for e in await outbox_events(api.service.runtime, SessionRevoked)
    )
    assert (await api.client.get("/v1/me", headers=bearer(token))).status_code == 401
    assert (await api.login(CITIZEN_CCCD, NEW_PASSWORD)).status_code == 200


async def test_wrong_current_password_is_refused_and_audited(api: IdentityDriver) -> None:
    await api.active_citizen()
    token = await api.access_token(CITIZEN_CCCD)
    response = await _change(api, token, "Wrong-Pass#1", NEW_PASSWORD)
    assert response.status_code == 400
    async with api.service.runtime.db.sessions() as session:
        actions = (await session.execute(sa.text("SELECT action FROM audit_events"))).scalars().all()
    assert "password.change_failed" in actions


async def test_no_earlier_password_may_be_reused(api: IdentityDriver) -> None:
    await api.active_citizen()
    token = await api.access_token(CITIZEN_CCCD)
    await _change(api, token, PASSWORD, NEW_PASSWORD)
    token = await api.access_token(CITIZEN_CCCD, NEW_PASSWORD)
    await _change(api, token, NEW_PASSWORD, "Thien-Mu#1601x")
    token = await api.access_token(CITIZEN_CCCD, "Thien-Mu#1601x")
    for earlier in (PASSWORD, NEW_PASSWORD, "Thien-Mu#1601x"):
        response = await _change(api, token, "Thien-Mu#1601x", earlier)
        assert response.status_code == 422
        assert response.json()["type"].endswith("/password-reused")


async def test_new_password_must_follow_the_policy(api: IdentityDriver) -> None:
    await api.active_citizen()
    token = await api.access_token(CITIZEN_CCCD)
    response = await _change(api, token, PASSWORD, "short")
    assert response.status_code == 422
    assert response.json()["type"].endswith("/weak-password")


async def test_after_90_days_login_yields_only_the_right_to_change_the_password(api: IdentityDriver) -> None:
    await api.active_citizen()
    await _age_password(api, 91)
    response = await api.login(CITIZEN_CCCD)
    assert response.status_code == 200
    token = response.json()["access_token"]
    claims = jwt.get_unverified_claims(token)
    assert claims["pwd_expired"] is True and claims["permissions"] == []
    me = await api.client.get("/v1/me", headers=bearer(token))  # readable, and says why
    assert me.status_code == 200 and me.json()["password_expires_at"] is not None
    change_profile = await api.client.patch("/v1/me", json={"email": "x@example.vn"}, headers=bearer(token))
    assert change_profile.status_code == 403
    assert change_profile.json()["type"].endswith("/password-expired")
    assert (await _change(api, token, PASSWORD, NEW_PASSWORD)).status_code == 204
    fresh = await api.login(CITIZEN_CCCD, NEW_PASSWORD)
    assert jwt.get_unverified_claims(fresh.json()["access_token"])["pwd_expired"] is False


async def test_reminders_are_published_once_per_threshold(api: IdentityDriver) -> None:
    citizen = await api.active_citizen()
    components = identity_components(api.service.runtime)
    await _age_password(api, 80)  # 10 days left: the 14-day reminder is due
    async with api.service.runtime.db.unit_of_work() as session:
        assert await publish_expiry_reminders(session, components) == 1
    async with api.service.runtime.db.unit_of_work() as session:
        assert await publish_expiry_reminders(session, components) == 0
    await _age_password(api, 84)  # 6 days left: the 7-day reminder
    async with api.service.runtime.db.unit_of_work() as session:
        assert await publish_expiry_reminders(session, components) == 1
    events = await outbox_events(api.service.runtime, PasswordExpiring)
    assert [e.account_id for e in events] == [citizen["account_id"]] * 2
    assert [e.days_left for e in events] == [10, 6]


async def test_fresh_passwords_get_no_reminder(api: IdentityDriver) -> None:
    await api.active_citizen()
    async with api.service.runtime.db.unit_of_work() as session:
        assert await publish_expiry_reminders(session, identity_components(api.service.runtime)) == 0
