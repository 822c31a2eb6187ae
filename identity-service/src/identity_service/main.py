"""identity-service: one account per citizen and organization; staff, login, tokens, permissions."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from identity_service.wards.endpoints import router as wards_router
from identity_service.config import IdentitySettings
from identity_service.db import tables
from hues_shared.app import ServiceDefinition, create_service_app
from hues_shared.auth.jwks import TokenVerifier
from hues_shared.events.bus import EventBus

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def definition(settings: IdentitySettings | None = None) -> ServiceDefinition:
    return ServiceDefinition(
        name="identity-service",
        title="Hue-S identity-service",
        description="One account per citizen (Art. 7) and per organization (Art. 8); staff of units; login, "
        "tokens, the password policy (Art. 9.1) and permissions per function (Art. 15.1).",
        settings=settings or IdentitySettings(),
        routers=[wards_router],
        tables=tables,
        migrations_dir=MIGRATIONS_DIR,
    )


def create_app(
    settings: IdentitySettings | None = None,
    *,
    bus: EventBus | None = None,
    token_verifier: TokenVerifier | None = None,
) -> FastAPI:
    return create_service_app(definition(settings), bus=bus, token_verifier=token_verifier)
