"""The local projection of identity's units: the first consumer of UnitCreated/UnitUpdated."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from feedback_service.units import repository
from feedback_service.units.models import Unit
from hues_shared.contracts.identity import UnitCreated, UnitUpdated
from hues_shared.problems import UnprocessableContent


async def project_unit_created(session: AsyncSession, *, event: UnitCreated) -> None:
    """Insert the unit, or refresh it when the event arrives again or after an update."""
    unit = await repository.get(session, unit_id=event.unit_id)
    if unit is None:
        await repository.create(
            session,
            unit=Unit(
                id=event.unit_id,
                code=event.code,
                name=event.name,
                kind=event.kind,
                ward_code=event.ward_code,
                active=True,
                updated_at=event.created_at,
            ),
        )
    elif unit.ward_code is None:
        unit.ward_code = event.ward_code


async def project_unit_updated(session: AsyncSession, *, event: UnitUpdated) -> None:
    """Apply a change unless a newer one was applied already (events of one unit may be redelivered)."""
    unit = await repository.get(session, unit_id=event.unit_id)
    if unit is None:
        await repository.create(
            session,
            unit=Unit(
                id=event.unit_id,
                code=event.code,
                name=event.name,
                kind=event.kind,
                ward_code=None,
                active=event.active,
                updated_at=event.updated_at,
            ),
        )
        return
    if event.updated_at < unit.updated_at:
        return
    unit.code, unit.name, unit.kind, unit.active = event.code, event.name, event.kind, event.active
    unit.updated_at = event.updated_at


async def get_active_unit(session: AsyncSession, *, unit_id: str) -> Unit:
    """The unit a report may be assigned to: known from identity's events and active."""
    unit = await repository.get(session, unit_id=unit_id)
    if unit is None or not unit.active:
        raise UnprocessableContent(f"No active unit {unit_id} is known.", slug="unknown-unit")
    return unit


async def get_unit_names(session: AsyncSession, *, unit_ids: set[str]) -> dict[str, str]:
    return await repository.get_names(session, unit_ids=unit_ids)


async def get_ward_unit_ids(session: AsyncSession, *, ward_code: str) -> list[str]:
    """The units of a ward (its People's Committee, ...): whose officers hear of urgent reports."""
    return [u.id for u in await repository.get_all_active_in_ward(session, ward_code=ward_code)]


async def get_ward_committee_id(session: AsyncSession, *, ward_code: str) -> str | None:
    """The People's Committee of a ward, when identity has published it."""
    unit = await repository.get_ward_committee(session, ward_code=ward_code)
    return unit.id if unit is not None else None
