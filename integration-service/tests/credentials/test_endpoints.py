"""Client credentials and signing keys on approval (connection standard v1.1, s. 5; Art. 13.1, 15.2)."""

import base64
import hashlib
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from fastapi import FastAPI

from hues_shared.contracts.integration import SigningKeyRegistered, SigningKeyRevoked
from hues_shared.testing.events import outbox_events
from hues_shared.types import utcnow
from integration_service.components import EXTRAS_KEY


def ed25519_public_pem() -> str:
    key = ed25519.Ed25519PrivateKey.generate().public_key()
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


async def test_no_client_before_approval(onboarding: Any, people: Any, partner_manifest: Any) -> None:
    created = await onboarding.draft(partner_manifest())
    response = await onboarding.service.client.post(
        f"/v1/applications/{created['id']}/clients", json={}, headers=people.organization()
    )
    assert response.status_code == 409
    assert response.json()["type"].endswith("/environment-not-approved")


async def test_sandbox_client_secret_is_shown_once_and_stored_hashed(
    onboarding: Any, people: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    application_id = await onboarding.approved(partner_manifest(), partner[0])
    client = onboarding.service.client
    issued = await client.post(
        f"/v1/applications/{application_id}/clients", json={}, headers=people.organization()
    )
    assert issued.status_code == 201
    secret = issued.json()["client_secret"]
    listed = await client.get(f"/v1/applications/{application_id}/clients", headers=people.organization())
    assert secret not in listed.text
    async with onboarding.service.runtime.db.sessions() as session:
        stored = (await session.execute(sa.text("SELECT secret_hash FROM client_secrets"))).scalar_one()
    assert stored == hashlib.sha256(secret.encode()).hexdigest()


async def test_production_client_needs_a_second_approval(
    onboarding: Any, people: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    application_id = await onboarding.approved(partner_manifest(), partner[0])
    url = f"/v1/applications/{application_id}/clients"
    refused = await onboarding.service.client.post(
        url, json={"environment": "production"}, headers=people.organization()
    )
    assert refused.status_code == 409
    assert (await onboarding.decide(application_id, "approve_production")).status_code == 200
    issued = await onboarding.service.client.post(
        url, json={"environment": "production"}, headers=people.organization()
    )
    assert issued.status_code == 201 and issued.json()["environment"] == "production"


async def test_another_organization_cannot_see_or_rotate_a_client(
    onboarding: Any, people: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    application_id = await onboarding.approved(partner_manifest(), partner[0])
    client = onboarding.service.client
    issued = await client.post(
        f"/v1/applications/{application_id}/clients", json={}, headers=people.organization()
    )
    client_id = issued.json()["client_id"]
    other = people.organization("org-b")
    assert (await client.get(f"/v1/applications/{application_id}/clients", headers=other)).status_code == 404
    assert (await client.post(f"/v1/clients/{client_id}/secrets", headers=other)).status_code == 404
    keys = await client.post(
        f"/v1/clients/{client_id}/keys", json={"algorithm": "hmac-sha256"}, headers=other
    )
    assert keys.status_code == 404


async def test_ed25519_public_key_is_registered_and_announced(
    onboarding: Any, people: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    application_id = await onboarding.approved(partner_manifest(), partner[0])
    client = onboarding.service.client
    issued = await client.post(
        f"/v1/applications/{application_id}/clients", json={}, headers=people.organization()
    )
    client_id = issued.json()["client_id"]
    pem = ed25519_public_pem()
    key = await client.post(
        f"/v1/clients/{client_id}/keys",
        json={"algorithm": "ed25519", "public_key": pem},
        headers=people.organization(),
    )
    assert key.status_code == 201 and key.json()["hmac_key"] is None
    [event] = await outbox_events(onboarding.service.runtime, SigningKeyRegistered)
    assert event.key_id == key.json()["key_id"] and event.public_key == pem and event.environment == "sandbox"


async def test_a_key_that_is_not_ed25519_is_refused(
    onboarding: Any, people: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    application_id = await onboarding.approved(partner_manifest(), partner[0])
    client = onboarding.service.client
    issued = await client.post(
        f"/v1/applications/{application_id}/clients", json={}, headers=people.organization()
    )
    response = await client.post(
        f"/v1/clients/{issued.json()['client_id']}/keys",
        json={"algorithm": "ed25519", "public_key": "not a key"},
        headers=people.organization(),
    )
    assert response.status_code == 422


async def test_hmac_key_is_shown_once_and_travels_sealed(
    onboarding: Any, people: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    application_id = await onboarding.approved(partner_manifest(), partner[0])
    client = onboarding.service.client
    issued = await client.post(
        f"/v1/applications/{application_id}/clients", json={}, headers=people.organization()
    )
    key = await client.post(
        f"/v1/clients/{issued.json()['client_id']}/keys",
        json={"algorithm": "hmac-sha256"},
        headers=people.organization(),
    )
    shown = key.json()["hmac_key"]
    [event] = await outbox_events(onboarding.service.runtime, SigningKeyRegistered)
    assert event.sealed_secret is not None and shown not in event.sealed_secret
    sealer = onboarding.service.runtime.extras[EXTRAS_KEY].sealer
    assert sealer.unseal(event.sealed_secret) == base64.urlsafe_b64decode(shown + "==")


async def test_rotating_a_key_keeps_the_old_one_for_the_overlap_and_revoking_stops_it_now(
    onboarding: Any, people: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    application_id = await onboarding.approved(partner_manifest(), partner[0])
    client = onboarding.service.client
    issued = await client.post(
        f"/v1/applications/{application_id}/clients", json={}, headers=people.organization()
    )
    client_id = issued.json()["client_id"]
    first = await client.post(
        f"/v1/clients/{client_id}/keys", json={"algorithm": "hmac-sha256"}, headers=people.organization()
    )
    second = await client.post(
        f"/v1/clients/{client_id}/keys",
        json={"algorithm": "hmac-sha256", "replaces": first.json()["key_id"]},
        headers=people.organization(),
    )
    assert second.status_code == 201
    revoked = await client.delete(
        f"/v1/clients/{client_id}/keys/{second.json()['key_id']}", headers=people.organization()
    )
    assert revoked.status_code == 204
    rotated, now_revoked = await outbox_events(onboarding.service.runtime, SigningKeyRevoked)
    assert rotated.key_id == first.json()["key_id"] and rotated.not_after > utcnow() + timedelta(hours=23)
    assert now_revoked.key_id == second.json()["key_id"] and now_revoked.not_after <= utcnow()
