"""Routes of partner usage (Art. 15.3: the DIC monitors and reports how the platform is used)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse

from hues_shared.app import DbSession
from hues_shared.auth.principal import CurrentPrincipal, Principal, require_permission
from hues_shared.permissions import INTEGRATION_REVIEW
from integration_service.usage import service
from integration_service.usage.schemas import DailyUsageOut

router = APIRouter(tags=["usage"])
Reviewer = Annotated[Principal, require_permission(INTEGRATION_REVIEW)]
Since = Annotated[date | None, Query(description="First day (UTC), default 30 days before `until`")]
Until = Annotated[date | None, Query(description="Last day (UTC), default today")]
Format = Annotated[Literal["json", "csv"], Query(description="csv for a spreadsheet")]
PROBLEMS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Invalid period (problem+json)"},
    401: {"description": "No valid access token (problem+json)"},
    403: {"description": "Not a DIC reviewer (problem+json)"},
    404: {"description": "No such application, or another organization's (problem+json)"},
}


def _answer(rows: list[DailyUsageOut], fmt: str) -> list[DailyUsageOut] | PlainTextResponse:
    if fmt == "csv":
        return PlainTextResponse(service.to_csv(rows), media_type="text/csv; charset=utf-8")
    return rows


@router.get(
    "/v1/applications/{application_id}/usage",
    summary="Daily usage of an application",
    response_model=list[DailyUsageOut],
    responses={**PROBLEMS, 200: {"content": {"text/csv": {}}}},
)
async def get_application_usage(
    application_id: str,
    session: DbSession,
    principal: CurrentPrincipal,
    since: Since = None,
    until: Until = None,
    format: Format = "json",
) -> list[DailyUsageOut] | PlainTextResponse:
    """Requests per day and route, for the owner and the DIC (Art. 15.3)."""
    rows = await service.get_usage(
        session, application_id=application_id, since=since, until=until, principal=principal
    )
    return _answer(rows, format)


@router.get(
    "/v1/usage",
    summary="Daily usage of every application (DIC)",
    response_model=list[DailyUsageOut],
    responses={**PROBLEMS, 200: {"content": {"text/csv": {}}}},
)
async def get_usage(
    session: DbSession, principal: Reviewer, since: Since = None, until: Until = None, format: Format = "json"
) -> list[DailyUsageOut] | PlainTextResponse:
    """For the DIC's yearly or on-demand report to the People's Committee (Art. 15.3)."""
    rows = await service.get_usage(
        session, application_id=None, since=since, until=until, principal=principal
    )
    return _answer(rows, format)
