"""`hues recover-admin`: a new password for the bootstrap administrator, found by its stored id.

For an operator who lost the administrator's password or locked it out: the account is unlocked,
its sign-in delays are lifted, every session ends, and a generated shell-safe password (to be changed
at the next sign-in) is printed once. A closed administrator stays closed: recovery is not a way to
bring back an account the DIC closed (issue 14, item 8).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.app import ServiceRuntime
from hues_shared.contracts.identity import PasswordChanged
from hues_shared.events.outbox import record_event
from hues_shared.problems import Conflict, NotFound
from hues_shared.types import utcnow
from identity_service.accounts import repository as accounts
from identity_service.accounts.models import AccountStatus
from identity_service.accounts.service import login_names
from identity_service.audit.service import record_audit
from identity_service.auth import throttling
from identity_service.bootstrap import repository
from identity_service.bootstrap.seed import ADMIN_RECORD, BOOTSTRAP_ACTOR, SeedOutcome, banner
from identity_service.components import IdentityComponents, identity_components
from identity_service.db import tables
from identity_service.passwords.service import set_password, temporary_password
from identity_service.sessions.service import revoke_all_sessions


async def recover_admin(session: AsyncSession, components: IdentityComponents) -> SeedOutcome:
    record = await repository.get(session, name=ADMIN_RECORD)
    admin = await accounts.get(session, account_id=record.account_id) if record else None
    if admin is None:
        raise NotFound("No bootstrap administrator yet: run `hues seed identity` first.")
    if admin.status == AccountStatus.CLOSED:
        raise Conflict("The bootstrap administrator was closed by the DIC; another DIC administrator acts.")
    password = temporary_password(20)
    await set_password(session, components, account=admin, password=password, must_change=True)
    if admin.status == AccountStatus.LOCKED:
        admin.status, admin.lock_reason = AccountStatus.ACTIVE, None
    names = login_names(components, admin)
    for name in names:
        await throttling.clear_login_name(session, digest=throttling.login_name_digest(components, name))
    await revoke_all_sessions(session, account_id=admin.id, reason="password_reset")
    await record_event(session, tables, PasswordChanged(account_id=admin.id, changed_at=utcnow()))
    await record_audit(
        session, action="admin.recovered", actor_account_id=BOOTSTRAP_ACTOR, subject_account_id=admin.id
    )
    return SeedOutcome(
        admin.id, created=False, granted=[], username=names[0] if names else "", generated_password=password
    )


async def recover_admin_command(runtime: ServiceRuntime) -> str:
    """What `hues recover-admin` runs; returns the banner to print."""
    async with runtime.db.unit_of_work() as session:
        outcome = await recover_admin(session, identity_components(runtime))
    return banner(outcome, title="DIC administrator recovered")
