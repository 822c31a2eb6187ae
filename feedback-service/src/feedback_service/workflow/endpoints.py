"""Routes of the workflow steps. Officers' and the IOC's steps need If-Match (the report's ETag)."""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Response

from feedback_service.preconditions import etag
from feedback_service.reports.schemas import ReportOut
from feedback_service.workflow import service
from feedback_service.workflow.schemas import AcceptIn, AssignIn, NoteIn, ReasonIn, ResolveIn, TransferIn
from hues_shared.app import DbSession
from hues_shared.auth.principal import Principal, require_permission
from hues_shared.permissions import REPORT_PROCESS, REPORT_TRIAGE

router = APIRouter(prefix="/v1/reports/{report_id}", tags=["report workflow"])
Triage = Annotated[Principal, require_permission(REPORT_TRIAGE)]
Officer = Annotated[Principal, require_permission(REPORT_PROCESS)]
IfMatch = Annotated[str | None, Header(description="The report's ETag (required)")]
STEP_PROBLEMS: dict[int | str, dict[str, str]] = {
    401: {"description": "No valid token"},
    403: {"description": "Not allowed to take this step, or outside the caller's unit (Art. 13.1)"},
    404: {"description": "No such report visible to the caller"},
    409: {"description": "The report is not in a status this step starts from"},
    412: {"description": "If-Match is stale: the report changed meanwhile"},
    428: {"description": "If-Match is missing"},
}


async def _answer(response: Response, call: Awaitable[ReportOut]) -> ReportOut:
    report = await call
    response.headers["ETag"] = etag(report.id, report.version)
    return report


def _step(
    path: str, summary: str, doc: str
) -> Callable[[Callable[..., Awaitable[Any]]], Callable[..., Awaitable[Any]]]:
    def register(func: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        func.__doc__ = doc
        return router.post(path, summary=summary, responses=STEP_PROBLEMS)(func)

    return register


@_step(
    "/accept", "Accept a report (IOC)", "IOC triage accepts; assigns at once to `unit_id` or the routed unit."
)
async def accept(
    report_id: str,
    body: AcceptIn,
    session: DbSession,
    principal: Triage,
    response: Response,
    if_match: IfMatch = None,
) -> ReportOut:
    return await _answer(response, service.accept_report(
        session, report_id=report_id, principal=principal, if_match=if_match, data=body))  # fmt: skip


@_step("/reject", "Reject a report (IOC)", "IOC triage rejects with a reason the reporter reads.")
async def reject(
    report_id: str,
    body: ReasonIn,
    session: DbSession,
    principal: Triage,
    response: Response,
    if_match: IfMatch = None,
) -> ReportOut:
    return await _answer(response, service.reject_report(
        session, report_id=report_id, principal=principal, if_match=if_match, data=body))  # fmt: skip


@_step("/assign", "Assign to a unit (IOC)", "For accepted reports without a routing rule, or returned ones.")
async def assign(
    report_id: str,
    body: AssignIn,
    session: DbSession,
    principal: Triage,
    response: Response,
    if_match: IfMatch = None,
) -> ReportOut:
    return await _answer(response, service.assign_report(
        session, report_id=report_id, principal=principal, if_match=if_match, data=body))  # fmt: skip


@_step("/transfer", "Transfer to another unit (IOC)", "The new unit gets a fresh deadline in working hours.")
async def transfer(
    report_id: str, body: TransferIn, session: DbSession, principal: Triage, response: Response,
    if_match: IfMatch = None,
) -> ReportOut:  # fmt: skip
    return await _answer(response, service.transfer_report(
        session, report_id=report_id, principal=principal, if_match=if_match, data=body))  # fmt: skip


@_step("/acknowledge", "Take the report on (unit)", "Art. 13.1: only officers of the assigned unit.")
async def acknowledge(
    report_id: str,
    body: NoteIn,
    session: DbSession,
    principal: Officer,
    response: Response,
    if_match: IfMatch = None,
) -> ReportOut:
    return await _answer(response, service.acknowledge_report(
        session, report_id=report_id, principal=principal, if_match=if_match, data=body))  # fmt: skip


@_step("/return", "Return to the IOC as not ours (unit)", "Art. 13.1: only officers of the assigned unit.")
async def return_to_triage(
    report_id: str, body: ReasonIn, session: DbSession, principal: Officer, response: Response,
    if_match: IfMatch = None,
) -> ReportOut:  # fmt: skip
    return await _answer(response, service.return_report(
        session, report_id=report_id, principal=principal, if_match=if_match, data=body))  # fmt: skip


@_step("/start", "Start handling (unit)", "Art. 13.1: only officers of the assigned unit.")
async def start(
    report_id: str,
    body: NoteIn,
    session: DbSession,
    principal: Officer,
    response: Response,
    if_match: IfMatch = None,
) -> ReportOut:
    return await _answer(response, service.start_work(
        session, report_id=report_id, principal=principal, if_match=if_match, data=body))  # fmt: skip


@_step("/resolve", "Resolve with a result (unit)", "On time when before the deadline in force (Art. 12.2).")
async def resolve(
    report_id: str, body: ResolveIn, session: DbSession, principal: Officer, response: Response,
    if_match: IfMatch = None,
) -> ReportOut:  # fmt: skip
    return await _answer(response, service.resolve_report(
        session, report_id=report_id, principal=principal, if_match=if_match, data=body))  # fmt: skip


@_step("/publish", "Publish the outcome (IOC)", "Public reports then appear on the public feed (Art. 6.3).")
async def publish(
    report_id: str,
    body: NoteIn,
    session: DbSession,
    principal: Triage,
    response: Response,
    if_match: IfMatch = None,
) -> ReportOut:
    return await _answer(response, service.publish_report(
        session, report_id=report_id, principal=principal, if_match=if_match, data=body))  # fmt: skip


@_step("/close", "Close (IOC)", "Published or rated reports; otherwise they close 7 days after publication.")
async def close(
    report_id: str,
    body: NoteIn,
    session: DbSession,
    principal: Triage,
    response: Response,
    if_match: IfMatch = None,
) -> ReportOut:
    return await _answer(response, service.close_report(
        session, report_id=report_id, principal=principal, if_match=if_match, data=body))  # fmt: skip
