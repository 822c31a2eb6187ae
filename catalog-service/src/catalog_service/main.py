"""catalog-service: essential products and services offered by integrated providers (Art. 6.4)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from catalog_service.categories.endpoints import router as categories_router
from catalog_service.config import CatalogSettings
from catalog_service.db import tables
from catalog_service.events.handlers import handlers
from catalog_service.offerings.endpoints import router as offerings_router
from catalog_service.providers.endpoints import router as providers_router
from catalog_service.reviews.endpoints import router as reviews_router
from catalog_service.search.endpoints import router as search_router
from hues_shared.app import ServiceDefinition, create_service_app
from hues_shared.auth.jwks import TokenVerifier
from hues_shared.events.bus import EventBus

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def definition(settings: CatalogSettings | None = None) -> ServiceDefinition:
    return ServiceDefinition(
        name="catalog-service",
        title="Hue-S catalog-service",
        description="Essential products and services offered by integrated providers (Art. 6.4): "
        "providers, offerings, search, ratings.",
        settings=settings or CatalogSettings(),
        routers=[categories_router, providers_router, offerings_router, search_router, reviews_router],
        tables=tables,
        migrations_dir=MIGRATIONS_DIR,
        handlers=handlers,
    )


def create_app(
    settings: CatalogSettings | None = None,
    *,
    bus: EventBus | None = None,
    token_verifier: TokenVerifier | None = None,
) -> FastAPI:
    return create_service_app(definition(settings), bus=bus, token_verifier=token_verifier)
