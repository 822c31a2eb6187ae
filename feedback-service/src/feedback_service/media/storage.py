"""The media storage of this service, built once at start-up from its settings."""

from __future__ import annotations

import logging

from feedback_service.config import FeedbackSettings
from feedback_service.media.endpoints import STORAGE_KEY
from hues_shared.app import ServiceRuntime
from hues_shared.storage import S3Storage, build_storage

logger = logging.getLogger(__name__)


async def start_storage(runtime: ServiceRuntime) -> None:
    settings = runtime.settings
    assert isinstance(settings, FeedbackSettings)
    storage = build_storage(settings.storage_settings())
    if isinstance(storage, S3Storage):
        try:
            await storage.ensure_bucket()
        except Exception as exc:
            logger.warning("could not ensure the media bucket at start", extra={"error": repr(exc)})
    runtime.extras[STORAGE_KEY] = storage
