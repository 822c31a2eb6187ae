"""Routes of citizen and organization registration."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from hues_shared.app import DbSession
from hues_shared.idempotency import idempotency_for
from identity_service.accounts import service
from identity_service.accounts.schemas import (
    CitizenRegistrationIn,
    OrganizationRegistrationIn,
    RegistrationOut,
)
from identity_service.components import ClientAddress, Components
from identity_service.db import tables

router = APIRouter(prefix="/v1/accounts", tags=["registration"])
_RESPONSES: dict[int | str, dict[str, Any]] = {
    409: {"description": "An account already exists for this identifier (nothing else is revealed)"},
    422: {"description": "Invalid identifier, or the password breaks the policy (every broken rule listed)"},
}


@router.post(
    "/citizens",
    status_code=201,
    response_model=RegistrationOut,
    responses=_RESPONSES,
    summary="Register a citizen",
)
async def register_citizen(
    body: CitizenRegistrationIn,
    request: Request,
    session: DbSession,
    components: Components,
    address: ClientAddress,
) -> RegistrationOut | JSONResponse:
    """One account per citizen, identified by CCCD, CMND or passport (Art. 7.1, 7.2). A CCCD's 4th digit
    (century and sex) and 5th-6th digits (birth year) must match the date of birth and sex. The account
    stays pending until the one-time code sent to the phone is confirmed. Honours `Idempotency-Key`."""
    idempotency = await idempotency_for(request, session, tables)
    if (replay := await idempotency.replay()) is not None:
        return replay
    result = await service.register_citizen(session, components, data=body, client_address=address)
    await idempotency.remember(201, result.model_dump(mode="json"))
    return result


@router.post(
    "/organizations",
    status_code=201,
    response_model=RegistrationOut,
    responses=_RESPONSES,
    summary="Register an organization",
)
async def register_organization(
    body: OrganizationRegistrationIn,
    request: Request,
    session: DbSession,
    components: Components,
    address: ClientAddress,
) -> RegistrationOut | JSONResponse:
    """One account per enterprise or organization, by tax/enterprise code: 10 digits with the check digit,
    or the 13-digit branch form NNNNNNNNNN-NNN (Art. 8.1, 8.2). Honours `Idempotency-Key`."""
    idempotency = await idempotency_for(request, session, tables)
    if (replay := await idempotency.replay()) is not None:
        return replay
    result = await service.register_organization(session, components, data=body, client_address=address)
    await idempotency.remember(201, result.model_dump(mode="json"))
    return result
