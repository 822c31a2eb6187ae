"""The periodic maintenance round: keys kept current, password reminders published."""

from datetime import timedelta

from hues_shared.contracts.identity import AccountClosed, PasswordExpiring
from hues_shared.testing.events import outbox_events
from identity_service.accounts.models import Account
from identity_service.maintenance.tasks import run_maintenance_once
from identity_service.testing import IdentityDriver, backdate


async def test_a_maintenance_round_publishes_due_reminders(api: IdentityDriver) -> None:
    await api.active_citizen()
    await backdate(api.service, Account, "password_changed_at", timedelta(days=89, hours=12))
    assert await run_maintenance_once(api.service.runtime) == 1
    [event] = await outbox_events(api.service.runtime, PasswordExpiring)
    assert event.days_left == 1


async def test_a_registration_never_verified_is_purged_after_a_day(api: IdentityDriver) -> None:
    body = api.citizen_body()
    pending = (await api.client.post("/v1/accounts/citizens", json=body)).json()["account_id"]
    fresh = (
        await api.client.post(
            "/v1/accounts/citizens", json=api.citizen_body(document={"type": "cmnd", "number": "191234567"})
        )
    ).json()["account_id"]
    await backdate(api.service, Account, "created_at", timedelta(hours=25), id=pending)
    await run_maintenance_once(api.service.runtime)
    async with api.service.runtime.db.sessions() as session:
        assert await session.get(Account, pending) is None
        assert await session.get(Account, fresh) is not None
    assert [e.account_id for e in await outbox_events(api.service.runtime, AccountClosed)] == [pending]
