"""Routes of report categories and their routing rules."""

from typing import Annotated

from fastapi import APIRouter, Header, Response

from feedback_service.categories import service
from feedback_service.categories.schemas import (
    ReportCategoryOut,
    ReportCategoryUpdateIn,
    RoutingRuleIn,
    RoutingRuleOut,
)
from feedback_service.preconditions import etag
from hues_shared.app import DbSession
from hues_shared.auth.principal import Principal, require_permission
from hues_shared.i18n import preferred_language
from hues_shared.permissions import REPORT_TRIAGE

router = APIRouter(prefix="/v1/categories", tags=["categories"])
Triage = Annotated[Principal, require_permission(REPORT_TRIAGE)]
PROBLEMS: dict[int | str, dict[str, str]] = {
    401: {"description": "No valid token"},
    403: {"description": "Not the IOC (feedback.report.triage)"},
    404: {"description": "No such category or rule"},
}


@router.get("", summary="What citizens can report")
async def get_categories(
    session: DbSession, accept_language: Annotated[str | None, Header()] = None
) -> list[ReportCategoryOut]:
    """Public list of report categories with their deadlines in working hours (Art. 12.2)."""
    return await service.get_categories(session, language=preferred_language(accept_language))


@router.get("/{code}", summary="One category, with its ETag", responses={404: PROBLEMS[404]})
async def get_category(
    code: str, session: DbSession, response: Response, accept_language: Annotated[str | None, Header()] = None
) -> ReportCategoryOut:
    category = await service.get_category(session, code=code)
    response.headers["ETag"] = etag(category.code, category.version)
    return service.category_out(category, language=preferred_language(accept_language))


@router.patch(
    "/{code}",
    summary="Change a category's deadlines or urgency policy (IOC)",
    responses={**PROBLEMS, 412: {"description": "Stale If-Match"}, 428: {"description": "No If-Match"}},
)
async def update_category(
    code: str,
    body: ReportCategoryUpdateIn,
    session: DbSession,
    response: Response,
    _: Triage,
    if_match: Annotated[str | None, Header()] = None,
) -> ReportCategoryOut:
    """Editable by the IOC (feedback.report.triage); If-Match with the category's ETag is required."""
    category = await service.update_category(session, code=code, data=body, if_match=if_match)
    response.headers["ETag"] = etag(category.code, category.version)
    return service.category_out(category, language="vi")


@router.get("/{code}/routing-rules", summary="Routing rules of a category (IOC)", responses=PROBLEMS)
async def get_routing_rules(code: str, session: DbSession, _: Triage) -> list[RoutingRuleOut]:
    """Which unit handles this category in which ward; a rule without ward covers the whole city."""
    return await service.get_rules(session, code=code)


@router.put(
    "/{code}/routing-rules", summary="Set the unit for a category in a ward (IOC)", responses=PROBLEMS
)
async def put_routing_rule(code: str, body: RoutingRuleIn, session: DbSession, _: Triage) -> RoutingRuleOut:
    """Create or replace the rule for (category, ward); without a rule reports go to IOC triage."""
    return await service.put_rule(session, code=code, data=body)


@router.delete(
    "/{code}/routing-rules/{rule_id}",
    status_code=204,
    summary="Remove a routing rule (IOC)",
    responses=PROBLEMS,
)
async def delete_routing_rule(code: str, rule_id: int, session: DbSession, _: Triage) -> None:
    await service.delete_rule(session, code=code, rule_id=rule_id)
