"""identity-service: one account per citizen and organization; staff, login, tokens, permissions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI

from hues_shared.app import ServiceDefinition, create_service_app
from hues_shared.auth.jwks import TokenVerifier
from hues_shared.events.bus import EventBus
from identity_service.accounts.endpoints import router as accounts_router
from identity_service.administration.endpoints import router as administration_router
from identity_service.audit.endpoints import router as audit_router
from identity_service.auth.endpoints import router as auth_router
from identity_service.auth.schemas import OAuthError, oauth_error_response
from identity_service.bootstrap.seed import seed_identity
from identity_service.components import IdentityComponents, build_components
from identity_service.config import IdentitySettings
from identity_service.db import tables
from identity_service.events.handlers import identity_handlers
from identity_service.maintenance.tasks import prepare_signing_keys, start_maintenance, stop_maintenance
from identity_service.passwords.endpoints import router as passwords_router
from identity_service.permissions.endpoints import router as permissions_router
from identity_service.profile.endpoints import router as profile_router
from identity_service.signing_keys.endpoints import router as signing_keys_router
from identity_service.signing_keys.verifier import IdentityTokenVerifier, KeyStoreJwks
from identity_service.staff.endpoints import router as staff_router
from identity_service.totp.endpoints import router as totp_router
from identity_service.units.endpoints import router as units_router
from identity_service.verification.endpoints import dev_router
from identity_service.verification.endpoints import router as verification_router
from identity_service.wards.endpoints import router as wards_router

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def routers_for(settings: IdentitySettings) -> list[APIRouter]:
    routers = [
        accounts_router,
        verification_router,
        auth_router,
        signing_keys_router,
        profile_router,
        passwords_router,
        totp_router,
        units_router,
        staff_router,
        permissions_router,
        administration_router,
        audit_router,
        wards_router,
    ]
    if settings.is_development:
        routers.append(dev_router)  # the OTP outbox exists only in development mode
    return routers


def definition(
    settings: IdentitySettings | None = None, components: IdentityComponents | None = None
) -> ServiceDefinition:
    settings = settings or IdentitySettings()
    components = components or build_components(settings)
    return ServiceDefinition(
        name="identity-service",
        title="Hue-S identity-service",
        description="One account per citizen (Art. 7) and per organization (Art. 8); staff of units; login, "
        "tokens, the password policy (Art. 9.1) and permissions per function (Art. 15.1).",
        settings=settings,
        routers=routers_for(settings),
        tables=tables,
        migrations_dir=MIGRATIONS_DIR,
        on_startup=[prepare_signing_keys, start_maintenance],
        on_shutdown=[stop_maintenance],
        seed=seed_identity,
        handlers=identity_handlers(components),
        components=components,
    )


def offer_password_login_in_docs(app: FastAPI) -> None:
    """Swagger UI (`/docs`) signs in with the OAuth 2.0 password flow against the token endpoint, and
    sends the access token on every call (issue 14, item 11)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        schema = build()
        schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
        schemes["OAuth2Password"] = {
            "type": "oauth2",
            "description": "Sign in with a document number, phone or tax code and the password.",
            "flows": {"password": {"tokenUrl": "/v1/auth/token", "scopes": {}}},
        }
        schema["security"] = [{"OAuth2Password": []}]
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(
    settings: IdentitySettings | None = None,
    *,
    bus: EventBus | None = None,
    token_verifier: TokenVerifier | None = None,
) -> FastAPI:
    """identity verifies with its own key store; a given `token_verifier` is a fallback for other kids."""
    settings = settings or IdentitySettings()
    components: IdentityComponents = build_components(settings)
    jwks = KeyStoreJwks(components.keys)
    verifier = IdentityTokenVerifier(
        jwks,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        leeway=settings.jwt_leeway_seconds,
        fallback=token_verifier,
    )
    app = create_service_app(definition(settings, components), bus=bus, token_verifier=verifier)
    app.add_exception_handler(OAuthError, oauth_error_response)
    offer_password_login_in_docs(app)
    jwks.db = app.state.runtime.db
    return app
