"""integration-service: partner systems integrated under the DIC's connection standard (Art. 5, 15.2)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from hues_shared.app import ServiceDefinition, create_service_app
from hues_shared.auth.jwks import TokenVerifier
from hues_shared.events.bus import EventBus
from integration_service.applications.endpoints import router as applications_router
from integration_service.components import EXTRAS_KEY, IntegrationComponents, build_components
from integration_service.config import IntegrationSettings
from integration_service.consents.endpoints import router as consents_router
from integration_service.credentials.endpoints import router as credentials_router
from integration_service.db import tables
from integration_service.events.handlers import build_handlers
from integration_service.oauth.endpoints import router as oauth_router
from integration_service.oauth.keys import prepare_token_key
from integration_service.partner.endpoints import router as partner_router
from integration_service.standard.endpoints import router as standard_router
from integration_service.usage.endpoints import router as usage_router
from integration_service.webhooks.dispatcher import start_dispatcher, stop_dispatcher
from integration_service.webhooks.endpoints import router as webhooks_router

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def definition(
    settings: IntegrationSettings | None = None, *, components: IntegrationComponents | None = None
) -> ServiceDefinition:
    settings = settings or IntegrationSettings()
    components = components or build_components(settings)
    return ServiceDefinition(
        name="integration-service",
        title="Hue-S integration-service",
        description="Agencies and enterprises propose their services for integration under the connection "
        "standard the DIC publishes (Art. 5, 10, 11, 15.2); review, credentials and webhooks.",
        settings=settings,
        routers=[
            standard_router,
            applications_router,
            credentials_router,
            oauth_router,
            partner_router,
            webhooks_router,
            consents_router,
            usage_router,
        ],
        tables=tables,
        migrations_dir=MIGRATIONS_DIR,
        handlers=build_handlers(components),
        on_startup=[prepare_token_key, start_dispatcher],
        on_shutdown=[stop_dispatcher],
    )


def create_app(
    settings: IntegrationSettings | None = None,
    *,
    bus: EventBus | None = None,
    token_verifier: TokenVerifier | None = None,
) -> FastAPI:
    settings = settings or IntegrationSettings()
    components = build_components(settings)
    app = create_service_app(
        definition(settings, components=components), bus=bus, token_verifier=token_verifier
    )
    app.state.runtime.extras[EXTRAS_KEY] = components
    return app
