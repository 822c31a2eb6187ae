"""notification-service: notices and warnings from government to citizens, and the in-app inbox."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from hues_shared.app import ServiceDefinition, ServiceRuntime, create_service_app
from hues_shared.auth.jwks import TokenVerifier
from hues_shared.events.bus import EventBus
from notification_service.areas import service as areas
from notification_service.config import NotificationSettings
from notification_service.db import tables
from notification_service.events.handlers import handlers
from notification_service.feeds.endpoints import router as feeds_router
from notification_service.inbox.endpoints import router as inbox_router
from notification_service.notices.endpoints import router as notices_router
from notification_service.preferences.endpoints import router as preferences_router
from notification_service.push.endpoints import router as push_router

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


async def load_reference_data(runtime: ServiceRuntime) -> None:
    """Ward centres from the configured file (CAP areas are matched against them)."""
    settings = runtime.settings
    assert isinstance(settings, NotificationSettings)
    if settings.ward_centres_file is not None:
        async with runtime.db.unit_of_work() as session:
            await areas.load_centres(session, path=settings.ward_centres_file)


def definition(settings: NotificationSettings | None = None) -> ServiceDefinition:
    return ServiceDefinition(
        name="notification-service",
        title="Hue-S notification-service",
        description="Notices and CAP 1.2 warnings from government to citizens (Art. 6.2); one inbox per "
        "account; push; public CAP/Atom feeds.",
        settings=settings or NotificationSettings(),
        routers=[notices_router, inbox_router, preferences_router, push_router, feeds_router],
        tables=tables,
        migrations_dir=MIGRATIONS_DIR,
        handlers=handlers,
        on_startup=[load_reference_data],
    )


def create_app(
    settings: NotificationSettings | None = None,
    *,
    bus: EventBus | None = None,
    token_verifier: TokenVerifier | None = None,
) -> FastAPI:
    return create_service_app(definition(settings), bus=bus, token_verifier=token_verifier)
