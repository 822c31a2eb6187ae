"""Routes of extension requests (unit asks, IOC decides; Art. 12.2)."""

from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse

from feedback_service.db import tables
from feedback_service.extensions import service
from feedback_service.extensions.schemas import DecisionIn, ExtensionIn, ExtensionOut
from hues_shared.app import DbSession
from hues_shared.auth.principal import CurrentPrincipal, Principal, require_permission
from hues_shared.idempotency import idempotency_for
from hues_shared.permissions import REPORT_PROCESS, REPORT_TRIAGE

router = APIRouter(prefix="/v1/reports/{report_id}/extensions", tags=["report workflow"])
queue_router = APIRouter(prefix="/v1/extensions", tags=["report workflow"])
Triage = Annotated[Principal, require_permission(REPORT_TRIAGE)]
Officer = Annotated[Principal, require_permission(REPORT_PROCESS)]
PROBLEMS: dict[int | str, dict[str, str]] = {
    403: {"description": "Not the IOC / not an officer of the report's unit (Art. 13.1)"},
    404: {"description": "No such report or request visible to the caller"},
    409: {"description": "Not extendable now, or a request is pending / already decided"},
}


@router.post(
    "", status_code=201, response_model=ExtensionOut, summary="Ask for more time (unit)", responses=PROBLEMS
)
async def request_extension(
    report_id: str, body: ExtensionIn, request: Request, session: DbSession, principal: Officer
) -> ExtensionOut | JSONResponse:
    """The handling unit asks the IOC for more working hours. Honours `Idempotency-Key`."""
    idempotency = await idempotency_for(request, session, tables)
    if (replay := await idempotency.replay()) is not None:
        return replay
    extension = await service.request_extension(session, report_id=report_id, principal=principal, data=body)
    await idempotency.remember(201, extension.model_dump(mode="json"))
    return extension


@router.get("", summary="Extension requests of a report", responses=PROBLEMS)
async def get_extensions(
    report_id: str, session: DbSession, principal: CurrentPrincipal
) -> list[ExtensionOut]:
    return await service.get_extensions(session, report_id=report_id, principal=principal)


@router.post("/{extension_id}/approve", summary="Approve an extension (IOC)", responses=PROBLEMS)
async def approve_extension(
    report_id: str,
    extension_id: str,
    body: DecisionIn,
    session: DbSession,
    principal: Triage,
    if_match: Annotated[str | None, Header(description="The report's ETag")] = None,
) -> ExtensionOut:
    """Moves the report's deadline by the hours asked (working hours); If-Match on the report."""
    return await service.decide_extension(
        session, report_id=report_id, extension_id=extension_id, principal=principal, if_match=if_match,
        approved=True, data=body,
    )  # fmt: skip


@router.post("/{extension_id}/refuse", summary="Refuse an extension (IOC)", responses=PROBLEMS)
async def refuse_extension(
    report_id: str,
    extension_id: str,
    body: DecisionIn,
    session: DbSession,
    principal: Triage,
    if_match: Annotated[str | None, Header(description="The report's ETag")] = None,
) -> ExtensionOut:
    return await service.decide_extension(
        session, report_id=report_id, extension_id=extension_id, principal=principal, if_match=if_match,
        approved=False, data=body,
    )  # fmt: skip


@queue_router.get("", summary="Extension requests waiting for a decision (IOC)", responses=PROBLEMS)
async def get_pending_extensions(session: DbSession, principal: Triage) -> list[ExtensionOut]:
    """The IOC's queue, oldest first (at most 200)."""
    return await service.get_pending_extensions(session, principal=principal)
