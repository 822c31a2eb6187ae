"""Notices and CAP warnings: authoring, the second approver, publishing to an audience (Art. 6.2)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.auth.principal import Principal, ensure_permission_in_unit
from hues_shared.contracts.notification import NoticePublished
from hues_shared.events.outbox import record_event
from hues_shared.events.tables import MessagingTables
from hues_shared.pagination import Page, decode_cursor, encode_cursor
from hues_shared.permissions import ALERT_PUBLISH, NOTICE_PUBLISH
from hues_shared.problems import BadRequest, Conflict, Forbidden, NotFound, UnprocessableContent
from hues_shared.types import utcnow
from notification_service.areas import service as areas
from notification_service.areas.geometry import Point, in_area
from notification_service.notices import repository
from notification_service.notices.models import Notice
from notification_service.notices.schemas import (
    Localized,
    NoticeOut,
    NoticeStatistics,
    ShortLocalized,
    Target,
)
from notification_service.push import repository as devices


def is_critical(*, severity: str | None, urgency: str | None) -> bool:
    """Critical warnings (Extreme or Severe, and Immediate) bypass preferences and quiet hours."""
    return severity in ("Extreme", "Severe") and urgency == "Immediate"


def needs_second_approval(notice: Notice) -> bool:
    """An Extreme and Immediate warning is published only after a second person approved it."""
    return notice.kind == "alert" and notice.severity == "Extreme" and notice.urgency == "Immediate"


def permission_for(notice: Notice) -> str:
    return ALERT_PUBLISH if notice.kind == "alert" else NOTICE_PUBLISH


def status_of(notice: Notice) -> str:
    if notice.published_at is None:
        return "draft"
    if notice.superseded_at is not None:
        return "superseded"
    if notice.msg_type == "Cancel":
        return "cancelled"
    if notice.expires_at is not None and notice.expires_at <= utcnow():
        return "expired"
    return "published"


def cap_identifier(notice: Notice) -> str:
    """Stable CAP <identifier>: never reused, no spaces, commas or '<' '&' (CAP 1.2, 3.2.1)."""
    return f"urn:uuid:{notice.id}"


def to_out(notice: Notice) -> NoticeOut:
    instruction = (
        Localized(vi=notice.instruction_vi, en=notice.instruction_en) if notice.instruction_vi else None
    )
    return NoticeOut(
        id=notice.id,
        kind=notice.kind,
        status=status_of(notice),
        cap_identifier=cap_identifier(notice),
        unit_id=notice.unit_id,
        author_id=notice.author_id,
        approved_by=notice.approved_by,
        needs_second_approval=needs_second_approval(notice) and notice.approved_by is None,
        topic=notice.topic,
        title=ShortLocalized(vi=notice.title_vi, en=notice.title_en),
        body=Localized(vi=notice.body_vi, en=notice.body_en),
        links=notice.links,
        images=notice.images,
        target=notice.target,
        msg_type=notice.msg_type,
        references_notice_id=notice.references_notice_id,
        category=notice.category,
        event=notice.event,
        urgency=notice.urgency,
        severity=notice.severity,
        certainty=notice.certainty,
        response_types=notice.response_types,
        instruction=instruction,
        sender_name=notice.sender_name,
        area_desc=notice.area_desc,
        onset_at=notice.onset_at,
        expires_at=notice.expires_at,
        critical=notice.critical,
        created_at=notice.created_at,
        published_at=notice.published_at,
        superseded_by_id=notice.superseded_by_id,
    )


async def get_all_for_staff(
    session: AsyncSession,
    *,
    principal: Principal,
    status: str | None,
    awaiting_approval: bool,
    cursor: str | None,
    limit: int,
) -> Page[NoticeOut]:
    """What the caller may act on: notices where it holds notice.publish, warnings where it holds
    alert.publish (everywhere, or in its units; Art. 13.1). `awaiting_approval` lists the
    Extreme/Immediate drafts a second approver has to look at."""
    before = None
    if values := decode_cursor(cursor):
        try:
            before = (datetime.fromisoformat(values[0]), str(values[1]))
        except (ValueError, IndexError, TypeError) as exc:
            raise BadRequest("The cursor is not valid.", slug="invalid-cursor") from exc
    rows = await repository.get_all_for_staff(
        session,
        scopes={"notice": principal.units_for(NOTICE_PUBLISH), "alert": principal.units_for(ALERT_PUBLISH)},
        status=status,
        awaiting_approval=awaiting_approval,
        before=before,
        limit=limit + 1,
    )
    items = [to_out(n) for n in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = encode_cursor([last.created_at.isoformat(), last.id])
    return Page(items=items, next_cursor=next_cursor)


async def get_for_staff(session: AsyncSession, *, principal: Principal, notice_id: str) -> Notice:
    notice = await repository.get(session, notice_id=notice_id)
    if notice is None:
        raise NotFound("No such notice.")
    ensure_permission_in_unit(principal, permission_for(notice), notice.unit_id)
    return notice


async def approve(session: AsyncSession, *, principal: Principal, notice_id: str) -> Notice:
    """The second approver of a warning: someone holding the permission for its unit, not the author."""
    notice = await get_for_staff(session, principal=principal, notice_id=notice_id)
    if notice.kind != "alert":
        raise Conflict("Only warnings are approved; notices are published directly.", slug="not-a-warning")
    if notice.published_at is not None:
        raise Conflict("The warning is already published.", slug="already-published")
    if notice.author_id == principal.account_id:
        raise Forbidden("The author cannot be the second approver.", slug="author-cannot-approve")
    notice.approved_by, notice.approved_at = principal.account_id, utcnow()
    return notice


async def resolve_audiences(session: AsyncSession, *, target: Target) -> list[str]:
    """Audience keys: the request's, plus wards whose centre is in the CAP area and opted-in devices there."""
    keys: set[str] = set()
    if target.everyone:
        keys.add("all")
    keys.update(f"ward:{w}" for w in target.ward_codes)
    keys.update(f"role:{r.value}" for r in target.roles)
    keys.update(f"topic:{t}" for t in target.topics)
    keys.update(f"account:{a}" for a in target.account_ids)
    polygons: list[list[Point]] = [[(lat, lon) for lat, lon in p] for p in target.polygons]
    circles: list[tuple[Point, float]] = [((c.latitude, c.longitude), c.radius_km) for c in target.circles]
    if polygons or circles:
        keys.update(
            f"ward:{w}" for w in await areas.wards_in_area(session, polygons=polygons, circles=circles)
        )
        for account_id, lat, lon in await devices.get_located_in_box(
            session, **_bounding_box(polygons, circles)
        ):
            if in_area((lat, lon), polygons=polygons, circles=circles):
                keys.add(f"account:{account_id}")
    return sorted(keys)


def _bounding_box(polygons: list[list[Point]], circles: list[tuple[Point, float]]) -> dict[str, float]:
    lats = [lat for p in polygons for lat, _ in p]
    lons = [lon for p in polygons for _, lon in p]
    for (lat, lon), radius_km in circles:
        degrees = radius_km / 111.0 * 1.5  # generous; the exact circle is checked afterwards
        lats += [lat - degrees, lat + degrees]
        lons += [lon - degrees, lon + degrees]
    return {"south": min(lats), "north": max(lats), "west": min(lons), "east": max(lons)}


async def publish(
    session: AsyncSession, *, principal: Principal, notice_id: str, tables: MessagingTables
) -> Notice:
    """Make it visible: one row, its audience keys, and a NoticePublished event for the push dispatcher."""
    notice = await repository.get(session, notice_id=notice_id, for_update=True)
    if notice is None:
        raise NotFound("No such notice.")
    ensure_permission_in_unit(principal, permission_for(notice), notice.unit_id)
    if notice.published_at is not None:
        raise Conflict("Already published.", slug="already-published")
    now = utcnow()
    if needs_second_approval(notice) and notice.approved_by is None:
        raise Conflict(
            "An Extreme and Immediate warning needs a second approver before it is published.",
            slug="second-approval-required",
        )
    if notice.expires_at is not None and notice.expires_at <= now:
        raise UnprocessableContent("The warning expired before it was published.", slug="already-expired")
    if notice.references_notice_id:
        earlier = await repository.get(session, notice_id=notice.references_notice_id, for_update=True)
        if earlier is None or earlier.superseded_at is not None:
            raise Conflict(
                "The referenced warning was already updated or cancelled.", slug="reference-superseded"
            )
        earlier.superseded_at, earlier.superseded_by_id = now, notice.id
    audiences = await resolve_audiences(session, target=Target.model_validate(notice.target))
    notice.published_at = now
    notice.targeted_count = await repository.count_audience(session, audiences=audiences)
    await repository.add_audiences(session, notice_id=notice.id, audiences=audiences, published_at=now)
    await record_event(
        session,
        tables,
        NoticePublished(
            notice_id=notice.id,
            kind=notice.kind,
            msg_type=notice.msg_type,
            notice_topic=notice.topic,
            severity=notice.severity,
            urgency=notice.urgency,
            critical=notice.critical,
            references_notice_id=notice.references_notice_id,
            expires_at=notice.expires_at,
            published_at=now,
        ),
    )
    return notice


async def get_statistics(session: AsyncSession, *, principal: Principal, notice_id: str) -> NoticeStatistics:
    """Visible to the notice's author and to the DIC (issue 10)."""
    notice = await repository.get(session, notice_id=notice_id)
    if notice is None:
        raise NotFound("No such notice.")
    if notice.author_id != principal.account_id and not principal.has_role("dic_admin"):
        raise Forbidden("Statistics are for the notice's author and the DIC.", slug="not-author")
    counts = await repository.get_delivery_counts(session, notice_id=notice_id)
    return NoticeStatistics(
        notice_id=notice_id,
        targeted=notice.targeted_count or 0,
        pushed=counts.get("accepted", 0) + counts.get("failed", 0) + counts.get("invalid_token", 0),
        accepted=counts.get("accepted", 0),
        invalid_tokens=counts.get("invalid_token", 0),
        skipped=counts.get("skipped_muted", 0),
        deferred=counts.get("deferred_quiet", 0),
        opened=await repository.count_opened(session, notice_id=notice_id),
    )
