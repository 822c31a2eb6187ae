"""Credentials of approved applications: client secrets and RFC 9421 signing keys, rotated with an overlap
and revoked at once; each change an event the gateway applies within seconds (connection standard, s. 5)."""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.auth.principal import Principal
from hues_shared.contracts import integration as contracts
from hues_shared.events.outbox import record_event
from hues_shared.problems import Conflict, NotFound, UnprocessableContent
from hues_shared.types import utcnow
from integration_service.applications import repository as applications
from integration_service.applications.authorization import ensure_owner
from integration_service.applications.lifecycle import Status
from integration_service.applications.models import Application
from integration_service.components import IntegrationComponents
from integration_service.credentials import repository
from integration_service.credentials.models import Client, ClientSecret, SigningKey
from integration_service.credentials.schemas import (
    ClientOut,
    IssuedKeyOut,
    IssuedSecretOut,
    KeyCreateIn,
    KeyOut,
    SecretOut,
)
from integration_service.db import tables


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def _owned_application(session: AsyncSession, application_id: str, principal: Principal) -> Application:
    return ensure_owner(principal, await applications.get(session, application_id=application_id))


async def _owned_client(
    session: AsyncSession, client_id: str, principal: Principal
) -> tuple[Client, Application]:
    """Art. 13.1: another organization's client does not exist for the caller."""
    client = await repository.get_client(session, client_id=client_id)
    if client is None:
        raise NotFound("No such client.", slug="client-not-found")
    application = await applications.get(session, application_id=client.application_id)
    return client, ensure_owner(principal, application)


async def _new_secret(
    session: AsyncSession, client: Client, application: Application, at: datetime
) -> tuple[str, str]:
    plain = "hs_" + secrets.token_urlsafe(32)
    secret = ClientSecret(
        id=str(uuid.uuid4()), client_id=client.id, secret_hash=hash_secret(plain), created_at=at
    )
    await repository.add(session, row=secret)
    await record_event(
        session,
        tables,
        contracts.ClientSecretIssued(
            application_id=application.id,
            client_id=client.id,
            secret_id=secret.id,
            environment=client.environment,
            issued_at=at,
        ),
    )
    return secret.id, plain


async def create_client(
    session: AsyncSession, *, application_id: str, environment: str, principal: Principal
) -> IssuedSecretOut:
    """The client of an approved environment, with its first secret (shown once)."""
    application = await _owned_application(session, application_id, principal)
    approved = (
        application.production_approved if environment == "production" else application.sandbox_approved
    )
    if application.status != Status.ACTIVE or not approved:
        raise Conflict(
            f"The DIC has not approved this application for {environment} (or it is not active).",
            slug="environment-not-approved",
        )
    if await repository.get_client_for(session, application_id=application.id, environment=environment):
        raise Conflict(f"A {environment} client exists; rotate its secret instead.", slug="client-exists")
    now = utcnow()
    client = Client(
        id=f"hues-{environment[:4]}-{secrets.token_hex(10)}",
        application_id=application.id,
        environment=environment,
        created_at=now,
    )
    await repository.add(session, row=client)
    secret_id, plain = await _new_secret(session, client, application, now)
    return IssuedSecretOut(
        client_id=client.id, secret_id=secret_id, client_secret=plain, environment=environment
    )


async def get_clients(session: AsyncSession, *, application_id: str, principal: Principal) -> list[ClientOut]:
    application = await _owned_application(session, application_id, principal)
    result = []
    for client in await repository.get_clients(session, application_id=application.id):
        result.append(
            ClientOut(
                client_id=client.id,
                application_id=client.application_id,
                environment=client.environment,
                created_at=client.created_at,
                secrets=[
                    SecretOut.model_validate(s)
                    for s in await repository.get_secrets(session, client_id=client.id)
                ],
                keys=[
                    KeyOut.model_validate(k) for k in await repository.get_keys(session, client_id=client.id)
                ],
            )
        )
    return result


async def rotate_secret(
    session: AsyncSession, *, client_id: str, principal: Principal, overlap: timedelta
) -> IssuedSecretOut:
    """A new secret; the current ones keep working for the overlap window, then stop."""
    client, application = await _owned_client(session, client_id, principal)
    now = utcnow()
    valid_until = now + overlap
    for old in await repository.get_secrets(session, client_id=client.id, live_at=now):
        if old.not_after is None or old.not_after > valid_until:
            old.not_after = valid_until
            await _secret_revoked(session, application, client, old, now)
    secret_id, plain = await _new_secret(session, client, application, now)
    return IssuedSecretOut(
        client_id=client.id,
        secret_id=secret_id,
        client_secret=plain,
        environment=client.environment,
        previous_valid_until=valid_until,
    )


async def revoke_secret(
    session: AsyncSession, *, client_id: str, secret_id: str, principal: Principal
) -> None:
    client, application = await _owned_client(session, client_id, principal)
    secret = await repository.get_secret(session, client_id=client.id, secret_id=secret_id)
    if secret is None:
        raise NotFound("No such secret.", slug="secret-not-found")
    now = utcnow()
    secret.not_after = now
    await _secret_revoked(session, application, client, secret, now)


async def _secret_revoked(
    session: AsyncSession, application: Application, client: Client, secret: ClientSecret, at: datetime
) -> None:
    assert secret.not_after is not None
    await record_event(
        session,
        tables,
        contracts.ClientSecretRevoked(
            application_id=application.id,
            client_id=client.id,
            secret_id=secret.id,
            not_after=secret.not_after,
            revoked_at=at,
        ),
    )


def _public_key_pem(pem: str | None) -> str:
    if not pem:
        raise UnprocessableContent("An ed25519 key needs `public_key` (PEM).", slug="public-key-required")
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except ValueError as exc:
        raise UnprocessableContent(
            "`public_key` is not a PEM public key.", slug="invalid-public-key"
        ) from exc
    if not isinstance(key, ed25519.Ed25519PublicKey):
        raise UnprocessableContent("`public_key` is not an ed25519 key.", slug="invalid-public-key")
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


async def register_key(
    session: AsyncSession,
    *,
    client_id: str,
    data: KeyCreateIn,
    principal: Principal,
    components: IntegrationComponents,
) -> IssuedKeyOut:
    """Register an ed25519 public key or issue an hmac-sha256 key (shown once, kept sealed)."""
    client, application = await _owned_client(session, client_id, principal)
    now = utcnow()
    key = SigningKey(
        id=f"key-{secrets.token_hex(8)}", client_id=client.id, algorithm=data.algorithm, created_at=now
    )
    hmac_key = None
    if data.algorithm == "ed25519":
        key.public_key = _public_key_pem(data.public_key)
    else:
        if data.public_key is not None:
            raise UnprocessableContent("hmac-sha256 keys are issued by Hue-S; send no public_key.")
        raw = secrets.token_bytes(32)
        hmac_key = base64.urlsafe_b64encode(raw).decode().rstrip("=")
        key.sealed_secret = components.sealer.seal(raw)
    previous_valid_until = None
    if data.replaces is not None:
        old = await repository.get_key(session, client_id=client.id, key_id=data.replaces)
        if old is None:
            raise NotFound("No such key to replace.", slug="key-not-found")
        previous_valid_until = now + timedelta(seconds=components.settings.rotation_overlap_seconds)
        if old.not_after is None or old.not_after > previous_valid_until:
            old.not_after = previous_valid_until
            await _key_revoked(session, application, old, now)
    await repository.add(session, row=key)
    await record_event(
        session,
        tables,
        contracts.SigningKeyRegistered(
            application_id=application.id,
            client_id=client.id,
            key_id=key.id,
            algorithm=key.algorithm,
            environment=client.environment,
            public_key=key.public_key,
            sealed_secret=key.sealed_secret,
            registered_at=now,
        ),
    )
    return IssuedKeyOut(
        key_id=key.id,
        algorithm=key.algorithm,
        client_id=client.id,
        hmac_key=hmac_key,
        previous_valid_until=previous_valid_until,
    )


async def revoke_key(session: AsyncSession, *, client_id: str, key_id: str, principal: Principal) -> None:
    """Stop a key at once (compromise); the gateway refuses it within seconds."""
    client, application = await _owned_client(session, client_id, principal)
    key = await repository.get_key(session, client_id=client.id, key_id=key_id)
    if key is None:
        raise NotFound("No such key.", slug="key-not-found")
    now = utcnow()
    key.not_after = now
    await _key_revoked(session, application, key, now)


async def _key_revoked(
    session: AsyncSession, application: Application, key: SigningKey, at: datetime
) -> None:
    assert key.not_after is not None
    await record_event(
        session,
        tables,
        contracts.SigningKeyRevoked(
            application_id=application.id, key_id=key.id, not_after=key.not_after, revoked_at=at
        ),
    )
