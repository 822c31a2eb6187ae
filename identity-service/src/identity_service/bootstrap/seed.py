"""First start: the DIC unit and a first DIC administrator holding every permission in the catalogue.

Credentials come from HUES_BOOTSTRAP_ADMIN_USERNAME (a mobile number, the administrator's login name)
and HUES_BOOTSTRAP_ADMIN_PASSWORD; without a password one is generated and printed once. Re-running
changes nothing except granting permissions added to the catalogue since.
"""

from __future__ import annotations

import os

from hues_shared.app import ServiceRuntime
from hues_shared.auth.principal import Role
from hues_shared.permissions import catalogue
from identity_service.accounts.identifiers import normalize_phone
from identity_service.accounts.service import find_by_username
from identity_service.components import EXTRAS_KEY, IdentityComponents
from identity_service.passwords.service import check_new_password, set_password, temporary_password
from identity_service.permissions.service import grant_permission
from identity_service.staff.service import create_staff_account
from identity_service.units import repository as units
from identity_service.units.models import UnitKind
from identity_service.units.schemas import UnitCreateIn
from identity_service.units.service import create_unit

DIC_UNIT_CODE = "DIC"
DIC_UNIT_NAME = "Sở Khoa học và Công nghệ thành phố Huế (DIC)"
DEFAULT_ADMIN_USERNAME = "0900000001"
BOOTSTRAP_ACTOR = "system:bootstrap"


async def seed_identity(runtime: ServiceRuntime) -> None:
    components: IdentityComponents = runtime.extras[EXTRAS_KEY]
    username = normalize_phone(os.environ.get("HUES_BOOTSTRAP_ADMIN_USERNAME", DEFAULT_ADMIN_USERNAME))
    given_password = os.environ.get("HUES_BOOTSTRAP_ADMIN_PASSWORD")
    async with runtime.db.unit_of_work() as session:
        unit = await units.get_by_code(session, code=DIC_UNIT_CODE)
        if unit is None:
            created = await create_unit(
                session,
                data=UnitCreateIn(code=DIC_UNIT_CODE, name=DIC_UNIT_NAME, kind=UnitKind.DIC),
                actor_account_id=BOOTSTRAP_ACTOR,
            )
            unit = await units.get(session, unit_id=created.id)
        assert unit is not None
        admin = await find_by_username(session, components, username=username)
        generated = None
        if admin is None:
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
            await set_password(session, components, account=admin, password=password)
            generated = None if given_password else password
        for permission in catalogue():
            await grant_permission(
                session,
                account_id=admin.id,
                permission=permission.code,
                unit_id=None,
                actor_account_id=BOOTSTRAP_ACTOR,
            )
    if generated:
        print(
            f"\nFirst DIC administrator created. Login name: {username}  Password: {generated}\n"
            "This password is shown once; change it after the first login.\n",
            flush=True,
        )
