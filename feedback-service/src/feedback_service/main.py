"""feedback-service: citizens' reports routed to units, handled against working-hour deadlines, tracked
in public and rated (Art. 6.3, 12.2, 13.1, 16.3)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from feedback_service.categories.endpoints import router as categories_router
from feedback_service.config import FeedbackSettings
from feedback_service.db import tables
from feedback_service.deadlines.endpoints import router as calendar_router
from feedback_service.duplicates.endpoints import router as duplicates_router
from feedback_service.events.handlers import handlers
from feedback_service.extensions.endpoints import queue_router as extension_queue_router
from feedback_service.extensions.endpoints import router as extensions_router
from feedback_service.maintenance.tasks import start_maintenance, stop_maintenance
from feedback_service.media.endpoints import router as media_router
from feedback_service.media.storage import start_storage
from feedback_service.monitoring.endpoints import router as public_router
from feedback_service.monitoring.endpoints import statistics_router
from feedback_service.open311.endpoints import router as open311_router
from feedback_service.ratings.endpoints import router as ratings_router
from feedback_service.reports.endpoints import router as reports_router
from feedback_service.workflow.endpoints import router as workflow_router
from hues_shared.app import ServiceDefinition, create_service_app
from hues_shared.auth.jwks import TokenVerifier
from hues_shared.events.bus import EventBus

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def definition(settings: FeedbackSettings | None = None) -> ServiceDefinition:
    return ServiceDefinition(
        name="feedback-service",
        title="Hue-S feedback-service",
        description="Citizens' reports (Art. 6.3): routed to the responsible unit, handled against "
        "deadlines in working hours, publicly tracked, rated for satisfaction.",
        settings=settings or FeedbackSettings(),
        routers=[
            categories_router,
            duplicates_router,  # before reports: /v1/reports/duplicates is not a report id
            reports_router,
            workflow_router,
            extensions_router,
            extension_queue_router,
            ratings_router,
            calendar_router,
            public_router,
            statistics_router,
            media_router,
            open311_router,
        ],
        tables=tables,
        migrations_dir=MIGRATIONS_DIR,
        handlers=handlers,
        on_startup=[start_storage, start_maintenance],
        on_shutdown=[stop_maintenance],
    )


def create_app(
    settings: FeedbackSettings | None = None,
    *,
    bus: EventBus | None = None,
    token_verifier: TokenVerifier | None = None,
) -> FastAPI:
    return create_service_app(definition(settings), bus=bus, token_verifier=token_verifier)
