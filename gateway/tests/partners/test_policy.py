"""Machine routes enforce the connection standard (s. 5-6): integration's client token with the route's
scope, and a single-use RFC 9421 signature with RFC 9530 Content-Digest; each refusal names its rule."""

from __future__ import annotations

import datetime
import time
from typing import Any

import httpx
import pytest
from hand_signer import HandSigner
from http_message_signatures import HTTPMessageSigner, HTTPSignatureKeyResolver, algorithms

from hues_shared.contracts.integration import ApplicationSuspended, SigningKeyRevoked
from hues_shared.types import utcnow

URL = "http://gateway.test/v1/integration/partner/connection-check"


def signer_for(partner: Any) -> HandSigner:
    return HandSigner(
        key_id=partner.key_id,
        algorithm=partner.algorithm,
        private_key=partner.private_key,
        hmac_key=partner.hmac_key,
    )


async def call(
    gateway: Any,
    partner: Any,
    body: bytes = b'{"ping": 1}',
    *,
    headers: dict[str, str] | None = None,
    **sign: Any,
) -> httpx.Response:
    signed = headers if headers is not None else signer_for(partner).sign("POST", URL, body, **sign)
    return await gateway.client.post(
        URL,
        content=body,
        headers={
            "Authorization": f"Bearer {gateway.token(partner)}",
            "Content-Type": "application/json",
            **signed,
        },
    )


def rule(response: httpx.Response) -> str:
    return str(response.json()["type"]).rsplit("/", 1)[-1]


@pytest.mark.parametrize("algorithm", ["ed25519", "hmac-sha256"])
async def test_a_signed_call_reaches_the_upstream(partner_gateway: Any, echoed: Any, algorithm: str) -> None:
    """Interoperability: signed by a hand-written RFC 9421 signer, verified by http-message-signatures."""
    partner = await partner_gateway.onboard(algorithm=algorithm)
    seen = echoed(await call(partner_gateway, partner))
    assert seen["path"] == "/v1/partner/connection-check"


async def test_a_call_signed_with_the_http_message_signatures_library_passes(
    partner_gateway: Any, echoed: Any
) -> None:
    partner = await partner_gateway.onboard()

    class Keys(HTTPSignatureKeyResolver):
        def resolve_private_key(self, key_id: str) -> Any:
            return partner.private_key

    body = b'{"ping": 2}'
    request = httpx.Request(
        "POST", URL, content=body, headers={"Authorization": f"Bearer {partner_gateway.token(partner)}"}
    )
    HTTPMessageSigner(signature_algorithm=algorithms.ED25519, key_resolver=Keys()).sign(
        request,
        key_id=partner.key_id,
        nonce="library-nonce-1",
        covered_component_ids=("@method", "@target-uri", "content-digest"),
        body=body,
    )
    response = await partner_gateway.client.send(request)
    assert echoed(response)["path"] == "/v1/partner/connection-check"


async def test_a_replayed_nonce_is_refused(partner_gateway: Any) -> None:
    partner = await partner_gateway.onboard()
    signed = signer_for(partner).sign("POST", URL, b'{"ping": 1}')
    assert (await call(partner_gateway, partner, headers=signed)).status_code == 200
    replay = await call(partner_gateway, partner, headers=signed)
    assert replay.status_code == 401 and rule(replay) == "nonce-replayed"


@pytest.mark.parametrize("offset", [-301, 301])
async def test_created_outside_300_seconds_is_refused(partner_gateway: Any, offset: int) -> None:
    partner = await partner_gateway.onboard()
    response = await call(partner_gateway, partner, created=int(time.time()) + offset)
    assert response.status_code == 401 and rule(response) == "signature-stale"


async def test_a_body_not_matching_the_content_digest_is_refused(partner_gateway: Any) -> None:
    partner = await partner_gateway.onboard()
    signed = signer_for(partner).sign("POST", URL, b'{"amount": 1}')
    response = await call(partner_gateway, partner, b'{"amount": 1000}', headers=signed)
    assert response.status_code == 401 and rule(response) == "content-digest-mismatch"


async def test_a_body_whose_digest_is_not_signed_is_refused(partner_gateway: Any) -> None:
    partner = await partner_gateway.onboard()
    response = await call(partner_gateway, partner, components=("@method", "@target-uri"))
    assert response.status_code == 401 and rule(response) == "components-missing"


async def test_an_unknown_keyid_is_refused(partner_gateway: Any) -> None:
    partner = await partner_gateway.onboard()
    stranger = HandSigner(key_id="key-nobody", algorithm="ed25519", private_key=partner.private_key)
    response = await call(partner_gateway, partner, headers=stranger.sign("POST", URL, b'{"ping": 1}'))
    assert response.status_code == 401 and rule(response) == "unknown-keyid"


async def test_another_clients_key_is_refused(partner_gateway: Any) -> None:
    alice = await partner_gateway.onboard()
    mallory = await partner_gateway.onboard()
    response = await call(
        partner_gateway, alice, headers=signer_for(mallory).sign("POST", URL, b'{"ping": 1}')
    )
    assert response.status_code == 401 and rule(response) == "keyid-not-of-client"


async def test_a_tampered_signature_is_refused(partner_gateway: Any) -> None:
    partner = await partner_gateway.onboard()
    signed = signer_for(partner).sign("POST", URL, b'{"ping": 1}')
    signed["signature"] = "sig1=:" + "A" * 86 + "==:"
    response = await call(partner_gateway, partner, headers=signed)
    assert response.status_code == 401 and rule(response) == "signature-invalid"


async def test_a_signature_for_another_path_is_refused(partner_gateway: Any) -> None:
    partner = await partner_gateway.onboard()
    signed = signer_for(partner).sign(
        "POST", "http://gateway.test/v1/integration/partner/other", b'{"ping": 1}'
    )
    response = await call(partner_gateway, partner, headers=signed)
    assert response.status_code == 401 and rule(response) == "signature-invalid"


async def test_an_unsigned_call_is_refused(partner_gateway: Any) -> None:
    partner = await partner_gateway.onboard()
    response = await call(partner_gateway, partner, headers={})
    assert response.status_code == 401 and rule(response) == "signature-missing"


async def test_a_signature_without_nonce_is_refused(partner_gateway: Any) -> None:
    partner = await partner_gateway.onboard()
    signed = signer_for(partner).sign("POST", URL, b'{"ping": 1}')
    signed["signature-input"] = signed["signature-input"].split(";nonce=")[0] + ';alg="ed25519"'
    response = await call(partner_gateway, partner, headers=signed)
    assert response.status_code == 401 and rule(response) == "nonce-missing"


async def test_a_token_without_the_route_scope_is_refused(partner_gateway: Any) -> None:
    partner = await partner_gateway.onboard()
    partner.scope = "feedback.report.read"
    response = await call(partner_gateway, partner)
    assert response.status_code == 403 and rule(response) == "scope-not-granted"


async def test_an_identity_account_token_is_refused(partner_gateway: Any, test_keys: Any) -> None:
    response = await partner_gateway.client.post(
        URL, headers={"Authorization": f"Bearer {test_keys.token()}"}
    )
    assert response.status_code == 401 and rule(response) == "invalid-client-token"


async def test_suspension_is_refused_within_seconds(partner_gateway: Any, until: Any) -> None:
    partner = await partner_gateway.onboard()
    assert (await call(partner_gateway, partner)).status_code == 200
    await partner_gateway.publish(
        ApplicationSuspended(
            application_id=partner.application_id,
            owner_kind="organization",
            owner_id="org-a",
            actor_id="dic",
            status="suspended",
            comment="abuse",
            at=utcnow(),
        )
    )
    registry = partner_gateway.app.state.partners.registry
    await until(lambda: registry.status(partner.application_id) == "suspended", within=2.0)
    response = await call(partner_gateway, partner)
    assert response.status_code == 403 and rule(response) == "application-suspended"


async def test_a_revoked_key_is_refused_within_seconds(partner_gateway: Any, until: Any) -> None:
    partner = await partner_gateway.onboard()
    now = utcnow()
    await partner_gateway.publish(
        SigningKeyRevoked(
            application_id=partner.application_id, key_id=partner.key_id, not_after=now, revoked_at=now
        )
    )
    registry = partner_gateway.app.state.partners.registry
    await until(lambda: registry.key(partner.key_id) is None, within=2.0)
    response = await call(partner_gateway, partner)
    assert response.status_code == 401 and rule(response) == "unknown-keyid"


async def test_a_rotated_key_keeps_working_until_its_overlap_ends(partner_gateway: Any, until: Any) -> None:
    partner = await partner_gateway.onboard()
    later = utcnow() + datetime.timedelta(hours=1)
    await partner_gateway.publish(
        SigningKeyRevoked(
            application_id=partner.application_id, key_id=partner.key_id, not_after=later, revoked_at=utcnow()
        )
    )
    registry = partner_gateway.app.state.partners.registry
    await until(lambda: registry.keys[partner.key_id].not_after is not None, within=2.0)
    assert (await call(partner_gateway, partner)).status_code == 200


async def test_a_sandbox_credential_is_refused_on_a_production_gateway(make_partner_gateway: Any) -> None:
    gateway = await make_partner_gateway(partner_environment="production")
    partner = await gateway.onboard(environment="sandbox")
    response = await call(gateway, partner)
    assert response.status_code == 403 and rule(response) == "sandbox-credential-on-production"


async def test_nonces_are_shared_between_replicas_through_redis(
    make_partner_gateway: Any, redis_url: str, until: Any
) -> None:
    from hues_shared.events.bus import InMemoryBus

    bus = InMemoryBus()
    prefix = f"test:partners:{time.time_ns()}"
    first = await make_partner_gateway(bus=bus, redis_url=redis_url, redis_key_prefix=prefix)
    second = await make_partner_gateway(bus=bus, redis_url=redis_url, redis_key_prefix=prefix)
    partner = await first.onboard()
    await until(lambda: second.app.state.partners.registry.key(partner.key_id) is not None)
    signed = signer_for(partner).sign("POST", URL, b'{"ping": 1}')
    assert (await call(first, partner, headers=signed)).status_code == 200
    replay = await call(second, partner, headers=signed)
    assert replay.status_code == 401 and rule(replay) == "nonce-replayed"
