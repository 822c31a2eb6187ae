"""Units are created and changed by the DIC; each change is published for the other services."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.contracts.identity import UnitCreated, UnitUpdated
from hues_shared.events.outbox import record_event
from hues_shared.pagination import Page, keyset_page
from hues_shared.problems import Conflict, NotFound, UnprocessableContent
from hues_shared.types import utcnow
from identity_service.audit.service import record_audit
from identity_service.db import tables
from identity_service.units import repository
from identity_service.units.models import Unit
from identity_service.units.schemas import UnitCreateIn, UnitOut, UnitUpdateIn
from identity_service.wards.service import is_known_ward


async def get_unit(session: AsyncSession, *, unit_id: str) -> Unit:
    unit = await repository.get(session, unit_id=unit_id)
    if unit is None:
        raise NotFound(f"No unit {unit_id}.")
    return unit


async def get_units(session: AsyncSession, *, cursor: str | None, limit: int) -> Page[UnitOut]:
    return await keyset_page(
        lambda after, size: repository.get_all(
            session, after_code=str(after[0]) if after else None, limit=size
        ),
        cursor=cursor,
        limit=limit,
        key=lambda unit: [unit.code],
        item=UnitOut.model_validate,
    )


async def create_unit(session: AsyncSession, *, data: UnitCreateIn, actor_account_id: str) -> UnitOut:
    if await repository.get_by_code(session, code=data.code) is not None:
        raise Conflict(f"A unit with code {data.code} exists.", slug="unit-code-taken")
    if data.ward_code and not await is_known_ward(session, code=data.ward_code):
        raise UnprocessableContent(
            "Not a ward or commune of Hue (see GET /v1/identity/wards).", slug="unknown-ward"
        )
    if data.parent_unit_id:
        await get_unit(session, unit_id=data.parent_unit_id)
    now = utcnow()
    unit = await repository.create(
        session,
        unit=Unit(
            code=data.code,
            name=data.name,
            kind=data.kind,
            ward_code=data.ward_code,
            parent_unit_id=data.parent_unit_id,
            active=True,
            created_at=now,
            updated_at=now,
        ),
    )
    await record_event(
        session,
        tables,
        UnitCreated(
            unit_id=unit.id,
            code=unit.code,
            name=unit.name,
            kind=unit.kind,
            ward_code=unit.ward_code,
            parent_unit_id=unit.parent_unit_id,
            created_at=now,
        ),
    )
    await record_audit(
        session, action="unit.created", actor_account_id=actor_account_id, unit_id=unit.id, code=unit.code
    )
    return UnitOut.model_validate(unit)


async def update_unit(
    session: AsyncSession, *, unit_id: str, data: UnitUpdateIn, actor_account_id: str
) -> UnitOut:
    unit = await get_unit(session, unit_id=unit_id)
    for field, value in data.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(unit, field, value)
    unit.updated_at = utcnow()
    await record_event(
        session,
        tables,
        UnitUpdated(
            unit_id=unit.id,
            code=unit.code,
            name=unit.name,
            kind=unit.kind,
            active=unit.active,
            updated_at=unit.updated_at,
        ),
    )
    await record_audit(session, action="unit.updated", actor_account_id=actor_account_id, unit_id=unit.id)
    return UnitOut.model_validate(unit)
