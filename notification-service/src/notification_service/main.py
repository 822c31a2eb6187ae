"""notification-service: notices and warnings from government to citizens, and the in-app inbox."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from hues_shared.app import ServiceDefinition, create_service_app
from hues_shared.auth.jwks import TokenVerifier
from hues_shared.events.bus import EventBus
from notification_service.config import NotificationSettings
from notification_service.db import tables
from notification_service.events.handlers import handlers
from notification_service.inbox.endpoints import router as inbox_router

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def definition(settings: NotificationSettings | None = None) -> ServiceDefinition:
    return ServiceDefinition(
        name="notification-service",
        title="Hue-S notification-service",
        description="Notices and warnings from government to citizens (Art. 6.2); the in-app inbox.",
        settings=settings or NotificationSettings(),
        routers=[inbox_router],
        tables=tables,
        migrations_dir=MIGRATIONS_DIR,
        handlers=handlers,
    )


def create_app(
    settings: NotificationSettings | None = None,
    *,
    bus: EventBus | None = None,
    token_verifier: TokenVerifier | None = None,
) -> FastAPI:
    return create_service_app(definition(settings), bus=bus, token_verifier=token_verifier)
