"""Routes of units (state agencies, ward/commune People's Committees, public service units, DIC, IOC)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from hues_shared.app import DbSession
from hues_shared.auth.principal import (
    CurrentPrincipal,
    Principal,
    ensure_permission_in_unit,
    require_permission,
)
from hues_shared.idempotency import idempotency_for
from hues_shared.pagination import Page, PageParams, page_params
from hues_shared.permissions import UNITS_MANAGE
from identity_service.db import tables
from identity_service.units import service
from identity_service.units.schemas import UnitCreateIn, UnitOut, UnitUpdateIn

router = APIRouter(prefix="/v1/units", tags=["units and staff"])
UnitManager = Annotated[Principal, require_permission(UNITS_MANAGE)]


@router.get("", summary="List units")
async def get_units(
    session: DbSession, _: CurrentPrincipal, page: Annotated[PageParams, Depends(page_params)]
) -> Page[UnitOut]:
    """Every unit, by code (any signed-in caller: units are public bodies)."""
    return await service.get_units(session, cursor=page.cursor, limit=page.limit)


@router.get("/{unit_id}", summary="One unit")
async def get_unit(unit_id: str, session: DbSession, _: CurrentPrincipal) -> UnitOut:
    return UnitOut.model_validate(await service.get_unit(session, unit_id=unit_id))


@router.post("", status_code=201, response_model=UnitOut, summary="Create a unit (DIC)")
async def create_unit(
    body: UnitCreateIn, request: Request, session: DbSession, principal: UnitManager
) -> UnitOut | JSONResponse:
    """DIC administrators create units (Art. 13.2); a grant within unit X creates units under X only.
    Publishes UnitCreated. Honours `Idempotency-Key`."""
    ensure_permission_in_unit(principal, UNITS_MANAGE, body.parent_unit_id)
    idempotency = await idempotency_for(request, session, tables)
    if (replay := await idempotency.replay()) is not None:
        return replay
    unit = await service.create_unit(session, data=body, actor_account_id=principal.account_id)
    await idempotency.remember(201, unit.model_dump(mode="json"))
    return unit


@router.patch("/{unit_id}", summary="Rename, re-kind or deactivate a unit (DIC)")
async def update_unit(
    unit_id: str, body: UnitUpdateIn, session: DbSession, principal: UnitManager
) -> UnitOut:
    """Publishes UnitUpdated. A grant within a unit changes that unit only (Art. 13.1)."""
    ensure_permission_in_unit(principal, UNITS_MANAGE, unit_id)
    return await service.update_unit(
        session, unit_id=unit_id, data=body, actor_account_id=principal.account_id
    )
