"""feedback-service: citizens' reports and petitions, routed, handled against deadlines, publicly tracked."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from feedback_service.categories.endpoints import router as categories_router
from feedback_service.config import FeedbackSettings
from feedback_service.db import tables
from hues_shared.app import ServiceDefinition, create_service_app
from hues_shared.auth.jwks import TokenVerifier
from hues_shared.events.bus import EventBus

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def definition(settings: FeedbackSettings | None = None) -> ServiceDefinition:
    return ServiceDefinition(
        name="feedback-service",
        title="Hue-S feedback-service",
        description="Citizens' reports and petitions (Art. 6.3): routed to the responsible agency, "
        "handled against deadlines, publicly tracked, rated for satisfaction.",
        settings=settings or FeedbackSettings(),
        routers=[categories_router],
        tables=tables,
        migrations_dir=MIGRATIONS_DIR,
    )


def create_app(
    settings: FeedbackSettings | None = None,
    *,
    bus: EventBus | None = None,
    token_verifier: TokenVerifier | None = None,
) -> FastAPI:
    return create_service_app(definition(settings), bus=bus, token_verifier=token_verifier)
