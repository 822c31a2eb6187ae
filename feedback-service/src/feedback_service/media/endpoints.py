"""Routes of report media: upload (multipart), signed listing, and the local backend's file serving."""

import hashlib
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from feedback_service.config import FeedbackSettings
from feedback_service.db import tables
from feedback_service.media import service
from feedback_service.media.processing import MAX_VIDEO_BYTES
from feedback_service.media.schemas import MediaOut
from hues_shared.app import DbSession, Runtime, ServiceRuntime
from hues_shared.auth.principal import CurrentPrincipal
from hues_shared.idempotency import HEADER, Idempotency
from hues_shared.problems import BadRequest, NotFound, PayloadTooLarge
from hues_shared.storage import LocalFileStorage, MediaStorage

STORAGE_KEY = "feedback.storage"
router = APIRouter(tags=["report media"])
CONTENT_TYPES = {"jpg": "image/jpeg", "mp4": "video/mp4", "mov": "video/quicktime"}


def storage_of(runtime: Runtime) -> MediaStorage:
    storage: MediaStorage = runtime.extras[STORAGE_KEY]
    return storage


Storage = Annotated[MediaStorage, Depends(storage_of)]


def _settings(runtime: ServiceRuntime) -> FeedbackSettings:
    settings = runtime.settings
    assert isinstance(settings, FeedbackSettings)
    return settings


@router.post(
    "/v1/reports/{report_id}/media",
    status_code=201,
    response_model=MediaOut,
    summary="Add a photo or short video",
    responses={
        409: {"description": "The report no longer takes media"},
        413: {"description": "File too large"},
        422: {"description": "Not a photo/video, unreadable, too long, or over 5 photos / 1 video"},
    },
)
async def add_media(
    report_id: str,
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    runtime: Runtime,
    storage: Storage,
    file: Annotated[UploadFile, File(description="JPEG, PNG, WebP (≤ 8 MiB) or MP4/MOV (≤ 19 MiB, ≤ 60 s)")],
) -> MediaOut | JSONResponse:
    """The reporter (until acceptance) or the handling unit (result photos, while in progress).
    The type comes from the content; EXIF, GPS and device data are removed before storing.
    Honours `Idempotency-Key`."""
    data = await file.read(MAX_VIDEO_BYTES + 1)
    if len(data) > MAX_VIDEO_BYTES:
        raise PayloadTooLarge("A file may be at most 19 MiB.")
    key = request.headers.get(HEADER)
    if key is not None and not (0 < len(key.strip()) <= 200):
        raise BadRequest(f"{HEADER} must be 1 to 200 characters.", slug="invalid-idempotency-key")
    caller = hashlib.sha256(request.headers.get("authorization", "").encode()).hexdigest()[:16]
    idempotency = Idempotency(
        session=session,
        tables=tables,
        scope=f"POST:{request.url.path}:{caller}",
        key=key.strip() if key else None,
        request_hash=hashlib.sha256(data).hexdigest(),
    )
    if (replay := await idempotency.replay()) is not None:
        return replay
    media = await service.add_media(
        session,
        report_id=report_id,
        principal=principal,
        data=data,
        storage=storage,
        url_seconds=_settings(runtime).media_url_seconds,
    )
    await idempotency.remember(201, media.model_dump(mode="json"))
    return media


@router.get("/v1/reports/{report_id}/media", summary="Media of a report, with signed URLs")
async def get_media(
    report_id: str, session: DbSession, principal: CurrentPrincipal, runtime: Runtime, storage: Storage
) -> list[MediaOut]:
    return await service.get_media(
        session,
        report_id=report_id,
        principal=principal,
        storage=storage,
        url_seconds=_settings(runtime).media_url_seconds,
    )


@router.get("/v1/public/reports/{report_id}/media", summary="Media of a published public report")
async def get_public_media(
    report_id: str, session: DbSession, runtime: Runtime, storage: Storage
) -> list[MediaOut]:
    return await service.get_public_media(
        session, report_id=report_id, storage=storage, url_seconds=_settings(runtime).media_url_seconds
    )


@router.get(
    "/v1/media/{key:path}",
    summary="A stored file, by signed URL (local storage only)",
    response_class=Response,
    responses={404: {"description": "Unknown, expired or wrongly signed"}},
)
async def get_file(
    key: str,
    storage: Storage,
    expires: Annotated[int, Query()],
    signature: Annotated[str, Query(max_length=128)],
) -> Response:
    """Served only with a valid, unexpired signature; everything else looks like a missing file."""
    if not isinstance(storage, LocalFileStorage):
        raise NotFound("Media are served by the object storage.")
    try:
        valid = storage.verify(key, expires=expires, signature=signature)
        data = await storage.get(key) if valid else None
    except (ValueError, KeyError):
        data = None
    if data is None:
        raise NotFound("No such file, or the link expired.")
    content_type = CONTENT_TYPES.get(key.rsplit(".", 1)[-1], "application/octet-stream")
    return Response(data, media_type=content_type, headers={"Cache-Control": "private, max-age=300"})
