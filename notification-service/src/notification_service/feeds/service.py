"""Public feeds of current warnings: CAP 1.2 XML, Atom, JSON (expired ones drop out by themselves)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.problems import NotFound
from hues_shared.types import utcnow
from notification_service.feeds.atom import to_atom
from notification_service.feeds.cap import to_cap_xml
from notification_service.feeds.schemas import CurrentAlertOut
from notification_service.notices import repository as notices
from notification_service.notices.models import Notice
from notification_service.notices.schemas import Localized, ShortLocalized
from notification_service.notices.service import cap_identifier


async def get_cap_xml(session: AsyncSession, *, notice_id: str, sender: str) -> bytes:
    """Any published warning (current or not, so references resolve); drafts are not public."""
    alert = await notices.get_published_alert(session, notice_id=notice_id)
    if alert is None:
        raise NotFound("No published warning with this id.")
    references = None
    if alert.references_notice_id:
        references = await notices.get_published_alert(session, notice_id=alert.references_notice_id)
    return to_cap_xml(alert, sender=sender, references=references)


async def get_atom(session: AsyncSession, *, base_url: str, sender: str) -> bytes:
    now = utcnow()
    return to_atom(
        await notices.get_current_alerts(session, now=now), base_url=base_url, sender=sender, now=now
    )


def _json(alert: Notice, base_url: str) -> CurrentAlertOut:
    assert alert.published_at is not None
    target = alert.target
    return CurrentAlertOut(
        id=alert.id,
        cap_identifier=cap_identifier(alert),
        msg_type=alert.msg_type,
        references_notice_id=alert.references_notice_id,
        category=alert.category,
        event=alert.event,
        urgency=alert.urgency,
        severity=alert.severity,
        certainty=alert.certainty,
        response_types=alert.response_types,
        headline=ShortLocalized(vi=alert.title_vi, en=alert.title_en),
        description=Localized(vi=alert.body_vi, en=alert.body_en),
        instruction=Localized(vi=alert.instruction_vi, en=alert.instruction_en)
        if alert.instruction_vi
        else None,
        sender_name=alert.sender_name,
        area_desc=alert.area_desc,
        ward_codes=target.get("ward_codes", []),
        polygons=[[(lat, lon) for lat, lon in p] for p in target.get("polygons", [])],
        circles=target.get("circles", []),
        onset_at=alert.onset_at,
        expires_at=alert.expires_at,
        published_at=alert.published_at,
        cap_url=f"{base_url}/alerts/{alert.id}.xml",
    )


async def get_current(session: AsyncSession, *, base_url: str) -> list[CurrentAlertOut]:
    return [_json(a, base_url) for a in await notices.get_current_alerts(session, now=utcnow())]
