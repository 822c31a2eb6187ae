"""Drafting notices and warnings: create, and replace a draft under If-Match (officers' edits)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.auth.principal import Principal, ensure_permission_in_unit
from hues_shared.permissions import ALERT_PUBLISH, NOTICE_PUBLISH
from hues_shared.problems import Conflict, NotFound, ProblemError, UnprocessableContent
from hues_shared.types import utcnow
from notification_service.notices import repository
from notification_service.notices.models import Notice
from notification_service.notices.schemas import AlertIn, NoticeIn, Target
from notification_service.notices.service import is_critical, permission_for


class PreconditionFailed(ProblemError):
    status, slug, title = 412, "precondition-failed", "The notice changed meanwhile"


class PreconditionRequired(ProblemError):
    status, slug, title = 428, "if-match-required", "If-Match required"


def etag(notice: Notice) -> str:
    return f'"{notice.id}.{notice.version}"'


def _unit_for(principal: Principal, code: str, unit_id: str | None) -> str | None:
    unit = unit_id or principal.unit_id
    ensure_permission_in_unit(principal, code, unit)
    return unit


def _notice_fields(principal: Principal, data: NoticeIn) -> dict[str, Any]:
    return {
        "unit_id": _unit_for(principal, NOTICE_PUBLISH, data.unit_id),
        "topic": data.topic,
        "title_vi": data.title.vi,
        "title_en": data.title.en,
        "body_vi": data.body.vi,
        "body_en": data.body.en,
        "links": [str(u) for u in data.links],
        "images": [str(u) for u in data.images],
        "target": data.target.model_dump(mode="json"),
    }


async def _alert_fields(session: AsyncSession, principal: Principal, data: AlertIn) -> dict[str, Any]:
    """CAP fields; Update/Cancel reference a current published warning (and default to its audience)."""
    if data.expires_at <= utcnow():
        raise UnprocessableContent("expires_at is in the past.", slug="already-expired")
    target = data.target
    if data.references_notice_id:
        earlier = await repository.get_published_alert(session, notice_id=data.references_notice_id)
        if earlier is None:
            raise UnprocessableContent(
                "references_notice_id must name a published warning.", slug="unknown-reference"
            )
        if earlier.superseded_at is not None:
            raise Conflict(
                "The referenced warning was already updated or cancelled.", slug="reference-superseded"
            )
        target = target or Target.model_validate(earlier.target)
    assert target is not None
    return {
        "unit_id": _unit_for(principal, ALERT_PUBLISH, data.unit_id),
        "topic": data.topic,
        "msg_type": data.msg_type,
        "references_notice_id": data.references_notice_id,
        "category": data.category,
        "event": data.event,
        "urgency": data.urgency,
        "severity": data.severity,
        "certainty": data.certainty,
        "response_types": list(data.response_types),
        "onset_at": data.onset_at,
        "expires_at": data.expires_at,
        "title_vi": data.headline.vi,
        "title_en": data.headline.en,
        "body_vi": data.description.vi,
        "body_en": data.description.en,
        "instruction_vi": data.instruction.vi if data.instruction else None,
        "instruction_en": data.instruction.en if data.instruction else None,
        "sender_name": data.sender_name,
        "area_desc": data.area_desc,
        "links": [str(u) for u in data.links],
        "images": [],
        "target": target.model_dump(mode="json"),
        "critical": is_critical(severity=data.severity, urgency=data.urgency),
    }


async def create_notice(session: AsyncSession, *, principal: Principal, data: NoticeIn) -> Notice:
    """A draft notice of the caller's unit (published by a separate call)."""
    notice = Notice(kind="notice", author_id=principal.account_id, **_notice_fields(principal, data))
    return await repository.create(session, notice=notice)


async def create_alert(session: AsyncSession, *, principal: Principal, data: AlertIn) -> Notice:
    """A draft CAP warning."""
    fields = await _alert_fields(session, principal, data)
    return await repository.create(
        session, notice=Notice(kind="alert", author_id=principal.account_id, **fields)
    )


async def replace_draft(
    session: AsyncSession,
    *,
    principal: Principal,
    notice_id: str,
    data: NoticeIn | AlertIn,
    if_match: str | None,
) -> Notice:
    """Replace a draft's content. If-Match must carry the ETag read before (no lost updates between two
    officers); an approval given to the earlier content is withdrawn (the approver approved that text)."""
    if if_match is None:
        raise PreconditionRequired("Send If-Match with the ETag of the draft you edited.")
    notice = await repository.get(session, notice_id=notice_id, for_update=True)
    if notice is None:
        raise NotFound("No such notice.")
    ensure_permission_in_unit(principal, permission_for(notice), notice.unit_id)
    if (notice.kind == "alert") != isinstance(data, AlertIn):
        raise Conflict(
            "Edit a warning through /v1/alerts/{id}, a notice through /v1/notices/{id}.", slug="wrong-kind"
        )
    if notice.published_at is not None:
        raise Conflict(
            "A published notice is not edited; publish an Update instead.", slug="already-published"
        )
    if if_match.strip() not in (etag(notice), f"W/{etag(notice)}"):
        raise PreconditionFailed("The draft changed since you read it; read it again.")
    fields = (
        await _alert_fields(session, principal, data)
        if isinstance(data, AlertIn)
        else _notice_fields(principal, data)
    )
    for name, value in fields.items():
        setattr(notice, name, value)
    notice.version += 1
    notice.approved_by = notice.approved_at = None
    await session.flush()
    return notice
