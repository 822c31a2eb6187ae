"""Report categories (deadline and urgency policy) and the routing rules category + ward -> unit."""

from sqlalchemy.ext.asyncio import AsyncSession

from feedback_service.categories import repository
from feedback_service.categories.models import ReportCategory, RoutingRule
from feedback_service.categories.schemas import (
    ReportCategoryOut,
    ReportCategoryUpdateIn,
    RoutingRuleIn,
    RoutingRuleOut,
)
from feedback_service.preconditions import ensure_if_match
from feedback_service.units.service import get_active_unit, get_ward_committee_id
from hues_shared.geography import is_hue_ward
from hues_shared.problems import NotFound, UnprocessableContent


def category_out(row: ReportCategory, *, language: str) -> ReportCategoryOut:
    return ReportCategoryOut(
        code=row.code,
        name=row.name_en if language == "en" else row.name_vi,
        group=row.group,
        handling_days=row.handling_days,
        acceptance_hours=row.acceptance_hours,
        handling_hours=row.handling_hours,
        urgent_handling_hours=row.urgent_handling_hours,
        urgency_allowed=row.urgency_allowed,
    )


async def get_categories(session: AsyncSession, *, language: str) -> list[ReportCategoryOut]:
    """Active categories in display order; Vietnamese unless English was asked for."""
    return [category_out(row, language=language) for row in await repository.get_all_active(session)]


async def get_category(session: AsyncSession, *, code: str) -> ReportCategory:
    category = await repository.get(session, code=code)
    if category is None:
        raise NotFound(f"No report category {code}.", slug="unknown-category")
    return category


async def get_active_category(session: AsyncSession, *, code: str) -> ReportCategory:
    category = await repository.get(session, code=code)
    if category is None or not category.active:
        raise UnprocessableContent(
            f"{code} is not a category one can report (see GET /v1/categories).", slug="unknown-category"
        )
    return category


async def update_category(
    session: AsyncSession, *, code: str, data: ReportCategoryUpdateIn, if_match: str | None
) -> ReportCategory:
    """The IOC edits a category's names, deadlines and urgency policy (Art. 12.2), If-Match guarded."""
    category = await get_category(session, code=code)
    ensure_if_match(if_match, object_id=category.code, version=category.version)
    for field, value in data.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(category, field, value)
    category.handling_days = -(-category.handling_hours // 8)
    category.version += 1
    await session.flush()
    return category


async def get_rules(session: AsyncSession, *, code: str) -> list[RoutingRuleOut]:
    await get_category(session, code=code)
    return [RoutingRuleOut.model_validate(r) for r in await repository.get_rules(session, category_code=code)]


async def put_rule(session: AsyncSession, *, code: str, data: RoutingRuleIn) -> RoutingRuleOut:
    """Create or replace the rule for (category, ward): reports there go to `unit_id`."""
    await get_category(session, code=code)
    if data.ward_code is not None and not is_hue_ward(data.ward_code):
        raise UnprocessableContent("Not a ward or commune of Hue.", slug="unknown-ward")
    if data.unit_id is not None:
        await get_active_unit(session, unit_id=data.unit_id)
    rule = await repository.get_rule(session, category_code=code, ward_code=data.ward_code)
    if rule is None:
        rule = await repository.create_rule(
            session,
            rule=RoutingRule(
                category_code=code, ward_code=data.ward_code, unit_id=data.unit_id, target=data.target
            ),
        )
    else:
        rule.unit_id, rule.target = data.unit_id, data.target
    return RoutingRuleOut.model_validate(rule)


async def delete_rule(session: AsyncSession, *, code: str, rule_id: int) -> None:
    if not await repository.delete_rule(session, category_code=code, rule_id=rule_id):
        raise NotFound(f"No routing rule {rule_id} on {code}.")


async def route(session: AsyncSession, *, category_code: str, ward_code: str) -> str | None:
    """The unit responsible for (category, ward): the ward's rule, else the city-wide one, else None
    (IOC triage decides). A ward-committee rule names the active ward committee of that ward, if known."""
    rule = await repository.get_route(session, category_code=category_code, ward_code=ward_code)
    if rule is None:
        return None
    if rule.target == "ward_committee":
        return await get_ward_committee_id(session, ward_code=ward_code)
    return rule.unit_id
