"""Routes for staff authoring notices and CAP warnings (Art. 6.2)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import JSONResponse

from hues_shared.app import DbSession, Runtime
from hues_shared.auth.principal import CurrentPrincipal, Principal, require_permission
from hues_shared.idempotency import idempotency_for
from hues_shared.pagination import Page, PageParams, page_params
from hues_shared.permissions import ALERT_PUBLISH, NOTICE_PUBLISH
from hues_shared.problems import Forbidden
from notification_service.notices import drafts, service
from notification_service.notices.schemas import AlertIn, NoticeIn, NoticeOut, NoticeStatistics

router = APIRouter(tags=["notices"])
PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid access token"},
    403: {"description": "Permission missing, or not held for the notice's unit (Art. 13.1, 15.1)"},
    404: {"description": "No such notice"},
}


async def _publisher(principal: CurrentPrincipal) -> Principal:
    """Coarse check: the caller may author notices or warnings somewhere (Art. 15.1)."""
    if not (principal.holds_anywhere(NOTICE_PUBLISH) or principal.holds_anywhere(ALERT_PUBLISH)):
        raise Forbidden("Publishing notices needs a permission granted by the DIC (Art. 15.1).")
    return principal


Publisher = Annotated[Principal, Depends(_publisher)]


async def _created(request: Request, session: DbSession, runtime: Runtime, create: Any) -> JSONResponse:
    idempotency = await idempotency_for(request, session, runtime.tables)
    if (replayed := await idempotency.replay()) is not None:
        return replayed
    body = service.to_out(await create()).model_dump(mode="json")
    await idempotency.remember(201, body)
    return JSONResponse(body, status_code=201)


@router.post(
    "/v1/notices",
    status_code=201,
    response_model=NoticeOut,
    summary="Draft a notice",
    responses={**PROBLEMS, 422: {"description": "Invalid notice"}},
)
async def create_notice(
    data: NoticeIn,
    request: Request,
    session: DbSession,
    runtime: Runtime,
    principal: Annotated[Principal, require_permission(NOTICE_PUBLISH)],
) -> JSONResponse:
    """A notice in Vietnamese (and English) for a unit the caller holds `notification.notice.publish` in.
    Honours `Idempotency-Key`. It stays a draft until published."""
    return await _created(
        request, session, runtime, lambda: drafts.create_notice(session, principal=principal, data=data)
    )


@router.post(
    "/v1/alerts",
    status_code=201,
    response_model=NoticeOut,
    summary="Draft a CAP 1.2 warning (Alert, Update or Cancel)",
    responses={
        **PROBLEMS,
        409: {"description": "Referenced warning already superseded"},
        422: {"description": "Invalid"},
    },
)
async def create_alert(
    data: AlertIn,
    request: Request,
    session: DbSession,
    runtime: Runtime,
    principal: Annotated[Principal, require_permission(ALERT_PUBLISH)],
) -> JSONResponse:
    """A warning with the CAP fields. Update and Cancel reference the earlier warning and default to its
    audience. Extreme + Immediate warnings need a second approver before publishing.
    Honours `Idempotency-Key`."""
    return await _created(
        request, session, runtime, lambda: drafts.create_alert(session, principal=principal, data=data)
    )


@router.get("/v1/notices", summary="Notices and warnings I may act on", responses=PROBLEMS)
async def get_notices(
    session: DbSession,
    principal: Publisher,
    page: Annotated[PageParams, Depends(page_params)],
    status: Annotated[Literal["draft", "published"] | None, Query()] = None,
    awaiting_approval: Annotated[
        bool, Query(description="Extreme/Immediate drafts not approved yet")
    ] = False,
) -> Page[NoticeOut]:
    """Newest first, cursor-paginated; only the kinds and units the caller's permissions cover (Art. 13.1)."""
    return await service.get_all_for_staff(
        session,
        principal=principal,
        status=status,
        awaiting_approval=awaiting_approval,
        cursor=page.cursor,
        limit=page.limit,
    )


@router.get("/v1/notices/{notice_id}", summary="A notice or warning (staff view)", responses=PROBLEMS)
async def get_notice(
    notice_id: str, session: DbSession, principal: Publisher, response: Response
) -> NoticeOut:
    """Drafts included; only for holders of the kind's permission in the notice's unit (Art. 13.1).
    The ETag header goes back in If-Match to edit a draft."""
    notice = await service.get_for_staff(session, principal=principal, notice_id=notice_id)
    response.headers["ETag"] = drafts.etag(notice)
    return service.to_out(notice)


EDIT_PROBLEMS: dict[int | str, dict[str, Any]] = {
    **PROBLEMS,
    409: {"description": "Already published, or the other kind"},
    412: {"description": "If-Match does not match: the draft changed meanwhile"},
    428: {"description": "If-Match missing"},
}


async def _replaced(
    session: DbSession, principal: Principal, notice_id: str, data: NoticeIn | AlertIn, if_match: str | None
) -> JSONResponse:
    notice = await drafts.replace_draft(
        session, principal=principal, notice_id=notice_id, data=data, if_match=if_match
    )
    body = service.to_out(notice).model_dump(mode="json")
    return JSONResponse(body, headers={"ETag": drafts.etag(notice)})


@router.put(
    "/v1/notices/{notice_id}",
    response_model=NoticeOut,
    summary="Edit a draft notice",
    responses=EDIT_PROBLEMS,
)
async def put_notice(
    notice_id: str,
    data: NoticeIn,
    session: DbSession,
    principal: Annotated[Principal, require_permission(NOTICE_PUBLISH)],
    if_match: Annotated[str | None, Header(alias="If-Match")] = None,
) -> JSONResponse:
    """Replaces a draft notice's content; needs If-Match with the ETag read before."""
    return await _replaced(session, principal, notice_id, data, if_match)


@router.put(
    "/v1/alerts/{notice_id}",
    response_model=NoticeOut,
    summary="Edit a draft warning",
    responses=EDIT_PROBLEMS,
)
async def put_alert(
    notice_id: str,
    data: AlertIn,
    session: DbSession,
    principal: Annotated[Principal, require_permission(ALERT_PUBLISH)],
    if_match: Annotated[str | None, Header(alias="If-Match")] = None,
) -> JSONResponse:
    """Replaces a draft warning's content under If-Match; an approval already given is withdrawn."""
    return await _replaced(session, principal, notice_id, data, if_match)


@router.post(
    "/v1/notices/{notice_id}/approve",
    summary="Approve a warning as the second person",
    responses={**PROBLEMS, 409: {"description": "Not a draft warning"}},
)
async def approve_notice(
    notice_id: str, session: DbSession, principal: Annotated[Principal, require_permission(ALERT_PUBLISH)]
) -> NoticeOut:
    """The second approver of an Extreme/Immediate warning: holds `notification.alert.publish` for its
    unit and is not its author."""
    return service.to_out(await service.approve(session, principal=principal, notice_id=notice_id))


@router.post(
    "/v1/notices/{notice_id}/publish",
    summary="Publish a notice or warning",
    responses={
        **PROBLEMS,
        409: {"description": "Already published, second approval missing, reference superseded"},
    },
)
async def publish_notice(
    notice_id: str, session: DbSession, runtime: Runtime, principal: Publisher
) -> NoticeOut:
    """Visible at once in every targeted inbox (one row, fan-out on read); pushes follow after the commit."""
    notice = await service.publish(session, principal=principal, notice_id=notice_id, tables=runtime.tables)
    return service.to_out(notice)


@router.get("/v1/notices/{notice_id}/statistics", summary="Delivery statistics", responses=PROBLEMS)
async def get_notice_statistics(notice_id: str, session: DbSession, principal: Publisher) -> NoticeStatistics:
    """Targeted, pushed, accepted by the provider, opened in the inbox; for the author and the DIC."""
    return await service.get_statistics(session, principal=principal, notice_id=notice_id)
