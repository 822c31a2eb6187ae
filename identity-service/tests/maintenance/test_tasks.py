"""The periodic maintenance round: keys kept current, password reminders published."""

from datetime import timedelta

from hues_shared.contracts.identity import PasswordExpiring
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
