"""First start: the DIC unit and a first DIC administrator holding every permission in the catalogue.

Credentials come from HUES_BOOTSTRAP_ADMIN_USERNAME (a mobile number, the administrator's login name)
and HUES_BOOTSTRAP_ADMIN_PASSWORD; without a password a shell-safe one is generated and printed once.
Either way the password must be changed at the first sign-in (issue 14, item 7).

The administrator is remembered by id (`bootstrap_records`), never looked up by login name. A re-run
grants only permissions added to the catalogue since the last run: it never re-grants what the DIC
revoked, and never recreates an administrator the DIC closed (issue 7, item 11).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.app import ServiceRuntime
from hues_shared.auth.principal import Role
from hues_shared.permissions import catalogue
from hues_shared.types import utcnow
from identity_service.accounts import repository as accounts
from identity_service.accounts.identifiers import normalize_phone
from identity_service.accounts.models import AccountStatus
from identity_service.bootstrap import repository
from identity_service.bootstrap.models import BootstrapRecord
from identity_service.components import IdentityComponents, identity_components
from identity_service.passwords.service import check_new_password, set_password, temporary_password
from identity_service.permissions.service import grant_permission
from identity_service.staff.service import create_staff_account
from identity_service.units import repository as units
from identity_service.units.models import Unit, UnitKind
from identity_service.units.schemas import UnitCreateIn
from identity_service.units.service import create_unit

DIC_UNIT_CODE = "DIC"
DIC_UNIT_NAME = "Sở Khoa học và Công nghệ thành phố Huế (DIC)"
DEFAULT_ADMIN_USERNAME = "0900000001"
BOOTSTRAP_ACTOR = "system:bootstrap"
ADMIN_RECORD = "dic_admin"


@dataclass(frozen=True)
class SeedOutcome:
    """What a seed run did; `generated_password` is set only when it created the admin with one."""

    admin_account_id: str
    created: bool
    granted: list[str]
    username: str
    generated_password: str | None = None


async def _dic_unit(session: AsyncSession) -> Unit:
    unit = await units.get_by_code(session, code=DIC_UNIT_CODE)
    if unit is None:
        created = await create_unit(
            session,
            data=UnitCreateIn(code=DIC_UNIT_CODE, name=DIC_UNIT_NAME, kind=UnitKind.DIC),
            actor_account_id=BOOTSTRAP_ACTOR,
        )
        unit = await units.get(session, unit_id=created.id)
    assert unit is not None
    return unit


async def _grant(session: AsyncSession, *, account_id: str, codes: list[str]) -> None:
    for code in codes:
        await grant_permission(
            session, account_id=account_id, permission=code, unit_id=None, actor_account_id=BOOTSTRAP_ACTOR
        )


async def seed_dic_admin(
    session: AsyncSession, components: IdentityComponents, *, username: str, given_password: str | None
) -> SeedOutcome:
    """Create the first administrator once; afterwards only grant catalogue codes it never saw."""
    unit = await _dic_unit(session)
    codes = [p.code for p in catalogue()]
    record = await repository.get(session, name=ADMIN_RECORD)
    if record is not None:
        seen = set(codes if record.seeded_permissions is None else record.seeded_permissions)
        new = [c for c in codes if c not in seen]
        admin = await accounts.get(session, account_id=record.account_id)
        if new and admin is not None and admin.status != AccountStatus.CLOSED:
            await _grant(session, account_id=admin.id, codes=new)
        record.seeded_permissions = sorted(seen | set(codes))
        return SeedOutcome(record.account_id, created=False, granted=new, username=username)
    admin = await create_staff_account(
        session,
        components,
        unit=unit,
        full_name="Quản trị viên DIC",
        phone=username,
        email=None,
        role=Role.DIC_ADMIN,
        actor_account_id=BOOTSTRAP_ACTOR,
    )
    password = given_password or temporary_password(20)
    await check_new_password(session, components, account=admin, password=password)
    await set_password(session, components, account=admin, password=password, must_change=True)
    await _grant(session, account_id=admin.id, codes=codes)
    await repository.create(
        session,
        record=BootstrapRecord(
            name=ADMIN_RECORD, account_id=admin.id, seeded_permissions=codes, created_at=utcnow()
        ),
    )
    generated = None if given_password else password
    return SeedOutcome(admin.id, created=True, granted=codes, username=username, generated_password=generated)


def banner(outcome: SeedOutcome, *, title: str = "first DIC administrator") -> str:
    """The credentials, framed, for the launcher's final banner (`ServiceRuntime.notices`)."""
    return (
        f"==================== {title} ====================\n"
        f"  Login name: {outcome.username}\n"
        f"  Password:   {outcome.generated_password}\n"
        "  Shown once. Change it at the first sign-in (POST /v1/identity/me/password).\n"
        "  Lost it? `hues recover-admin` sets a new one.\n"
    )


async def seed_identity(runtime: ServiceRuntime) -> None:
    components = identity_components(runtime)
    username = normalize_phone(os.environ.get("HUES_BOOTSTRAP_ADMIN_USERNAME", DEFAULT_ADMIN_USERNAME))
    given_password = os.environ.get("HUES_BOOTSTRAP_ADMIN_PASSWORD") or None
    async with runtime.db.unit_of_work() as session:
        outcome = await seed_dic_admin(session, components, username=username, given_password=given_password)
    if outcome.generated_password:
        runtime.notices.append(banner(outcome))
