"""Report media: up to 5 photos or 1 short video from the reporter, up to 5 photos of the result from
the handling unit; stored cleaned (media/processing.py), read through short-lived signed URLs."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from feedback_service.media import repository
from feedback_service.media.models import ReportMedia
from feedback_service.media.processing import MediaRefused, clean, sniff
from feedback_service.media.schemas import MediaOut
from feedback_service.monitoring.repository import get_public
from feedback_service.reports import repository as reports_repository
from feedback_service.reports import service as reports
from feedback_service.reports.authorization import is_handling_officer, is_reporter
from feedback_service.reports.models import Report
from hues_shared.auth.principal import Principal
from hues_shared.contracts.feedback import ReportStatus
from hues_shared.problems import Conflict, Forbidden, NotFound, UnprocessableContent
from hues_shared.storage import MediaStorage
from hues_shared.types import utcnow

MAX_PHOTOS = 5
EXTENSIONS = {"image/jpeg": "jpg", "video/mp4": "mp4", "video/quicktime": "mov"}


def _purpose(principal: Principal, report: Report) -> str:
    """The reporter adds to a report not yet accepted; the unit adds photos of the result while handling."""
    if is_reporter(principal, report):
        if report.status != ReportStatus.SUBMITTED:
            raise Conflict("Photos can be added until the report is accepted.", slug="media-closed")
        return "report"
    if is_handling_officer(principal, report):
        if report.status != ReportStatus.IN_PROGRESS:
            raise Conflict("Result photos are added while the report is in progress.", slug="media-closed")
        return "result"
    raise Forbidden("Only the reporter or the handling unit adds media.")


def _check_limits(existing: list[ReportMedia], kind: str, purpose: str) -> None:
    if kind == "video" and purpose == "result":
        raise UnprocessableContent("Results are shown with photos.", slug="media-limit")
    if any(m.kind == "video" for m in existing) or (kind == "video" and existing):
        raise UnprocessableContent("A report has up to 5 photos or 1 short video.", slug="media-limit")
    if len(existing) >= MAX_PHOTOS:
        raise UnprocessableContent("A report has up to 5 photos or 1 short video.", slug="media-limit")


async def add_media(
    session: AsyncSession,
    *,
    report_id: str,
    principal: Principal,
    data: bytes,
    storage: MediaStorage,
    url_seconds: int,
) -> MediaOut:
    report = await reports_repository.get_for_update(session, report_id=report_id)
    if report is None:
        raise NotFound(f"No report {report_id}.")
    await reports.get_visible_report(session, report_id=report_id, principal=principal)
    purpose = _purpose(principal, report)
    kind = sniff(data)
    if kind is None:
        raise UnprocessableContent(
            "Only JPEG, PNG or WebP photos and MP4/MOV videos are accepted.", slug="unsupported-media"
        )
    _check_limits(
        list(await repository.get_all(session, report_id=report_id, purpose=purpose)), kind, purpose
    )
    try:
        cleaned = await asyncio.to_thread(clean, data)
    except MediaRefused as exc:
        raise UnprocessableContent(str(exc), slug=exc.slug) from exc
    media_id = str(uuid.uuid4())
    key = f"reports/{report.id}/{media_id}.{EXTENSIONS[cleaned.content_type]}"
    thumbnail_key = f"reports/{report.id}/{media_id}-thumb.jpg" if cleaned.thumbnail else None
    # Objects first: a failed commit leaves an unreferenced object behind, never a row without its file.
    await storage.put(key, cleaned.data, content_type=cleaned.content_type)
    if thumbnail_key and cleaned.thumbnail:
        await storage.put(thumbnail_key, cleaned.thumbnail, content_type="image/jpeg")
    media = await repository.create(
        session,
        media=ReportMedia(
            id=media_id,
            report_id=report.id,
            purpose=purpose,
            kind=cleaned.kind,
            content_type=cleaned.content_type,
            size_bytes=len(cleaned.data),
            width=cleaned.width,
            height=cleaned.height,
            duration_seconds=cleaned.duration_seconds,
            storage_key=key,
            thumbnail_key=thumbnail_key,
            created_at=utcnow(),
        ),
    )
    return media_out(media, storage=storage, url_seconds=url_seconds)


def media_out(media: ReportMedia, *, storage: MediaStorage, url_seconds: int) -> MediaOut:
    return MediaOut(
        id=media.id,
        purpose=media.purpose,
        kind=media.kind,
        content_type=media.content_type,
        width=media.width,
        height=media.height,
        duration_seconds=media.duration_seconds,
        url=storage.signed_url(media.storage_key, expires_in=url_seconds),
        thumbnail_url=(
            storage.signed_url(media.thumbnail_key, expires_in=url_seconds) if media.thumbnail_key else None
        ),
    )


async def get_media(
    session: AsyncSession, *, report_id: str, principal: Principal, storage: MediaStorage, url_seconds: int
) -> list[MediaOut]:
    await reports.get_visible_report(session, report_id=report_id, principal=principal)
    rows = await repository.get_all(session, report_id=report_id)
    return [media_out(m, storage=storage, url_seconds=url_seconds) for m in rows]


async def get_public_media(
    session: AsyncSession, *, report_id: str, storage: MediaStorage, url_seconds: int
) -> list[MediaOut]:
    """Media of a published public report (cleaned of location and device data on upload)."""
    if await get_public(session, report_id=report_id) is None:
        raise NotFound(f"No published public report {report_id}.")
    rows = await repository.get_all(session, report_id=report_id)
    return [media_out(m, storage=storage, url_seconds=url_seconds) for m in rows]
