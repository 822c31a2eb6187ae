"""Public feeds of current warnings (no token): CAP 1.2 XML per warning, an Atom index, JSON."""

from __future__ import annotations

from fastapi import APIRouter, Response

from hues_shared.app import DbSession, Runtime
from hues_shared.pagination import Page
from notification_service.config import NotificationSettings
from notification_service.feeds import service
from notification_service.feeds.schemas import CurrentAlertOut

router = APIRouter(prefix="/v1/feeds", tags=["public feeds"])


def _settings(runtime: Runtime) -> NotificationSettings:
    settings = runtime.settings
    assert isinstance(settings, NotificationSettings)
    return settings


@router.get(
    "/alerts.atom",
    summary="Atom feed of current warnings",
    response_class=Response,
    responses={200: {"content": {"application/atom+xml": {}}}},
)
async def get_alerts_atom(session: DbSession, runtime: Runtime) -> Response:
    """Current warnings (published, not superseded, not expired), each linking to its CAP 1.2 XML: the
    index national alerting systems and media poll (Art. 6.2)."""
    settings = _settings(runtime)
    body = await service.get_atom(session, base_url=settings.feeds_url, sender=settings.cap_sender)
    return Response(body, media_type="application/atom+xml", headers={"Cache-Control": "public, max-age=30"})


@router.get("/alerts.json", summary="Current warnings as JSON (for the app)")
async def get_alerts_json(session: DbSession, runtime: Runtime) -> Page[CurrentAlertOut]:
    """The same current warnings as the Atom feed, with their CAP fields and areas."""
    return Page(items=await service.get_current(session, base_url=_settings(runtime).feeds_url))


@router.get(
    "/alerts/{notice_id}.xml",
    summary="One warning as CAP 1.2 XML",
    response_class=Response,
    responses={
        200: {"content": {"application/cap+xml": {}}},
        404: {"description": "No such published warning"},
    },
)
async def get_alert_cap(notice_id: str, session: DbSession, runtime: Runtime) -> Response:
    """Valid against the OASIS CAP 1.2 schema, stable identifier; Update/Cancel reference the earlier one."""
    body = await service.get_cap_xml(session, notice_id=notice_id, sender=_settings(runtime).cap_sender)
    return Response(body, media_type="application/cap+xml")
