"""Signed partner requests for the gateway bench (issue 9): a partner announced on a Kafka-protocol broker
the way integration-service announces it, and a pool of RFC 9421-signed requests made before timing."""

from __future__ import annotations

import base64
import secrets
import time
from collections.abc import Callable, Iterator
from typing import Any

import http_sf
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from hues_shared.contracts.integration import ApplicationApproved, SigningKeyRegistered
from hues_shared.events.kafka import KafkaBus
from hues_shared.events.outbox import envelope_for
from hues_shared.testing.tokens import SigningKeys
from hues_shared.types import utcnow

PARTNER_ISSUER = "http://integration.bench"
APPLICATION, CLIENT, KEY_ID = "bench-app", "bench-client", "bench-key"


class Partner:
    def __init__(self, keys: SigningKeys) -> None:
        self.private_key = ed25519.Ed25519PrivateKey.generate()
        self.token = keys.token(
            sub=CLIENT,
            roles=["partner_client"],
            kind="partner_client",
            issuer=PARTNER_ISSUER,
            audience="hue-s-partners",
            expires_in=3600,
            client_id=CLIENT,
            app=APPLICATION,
            env="sandbox",
            scope="partner.connection.check",
        )

    async def announce(self, bootstrap: str) -> None:
        """ApplicationApproved + SigningKeyRegistered on the broker; the gateway's registry reads them."""
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        now = utcnow()
        events = [
            ApplicationApproved(
                application_id=APPLICATION,
                owner_kind="organization",
                owner_id="bench-org",
                actor_id="bench-dic",
                status="active",
                at=now,
                environment="sandbox",
            ),
            SigningKeyRegistered(
                application_id=APPLICATION,
                client_id=CLIENT,
                key_id=KEY_ID,
                algorithm="ed25519",
                environment="sandbox",
                public_key=public.decode(),
                registered_at=now,
            ),
        ]
        bus = KafkaBus(
            bootstrap_servers=bootstrap, client_id="bench", idempotent_producer=False, partitions=1
        )
        await bus.start()
        try:
            await bus.ensure_topics(sorted({e.topic for e in events}))
            await bus.publish([envelope_for(e, source="/hues/integration-service") for e in events])
        finally:
            await bus.stop()

    def request(self, port: int, path: str) -> bytes:
        """One GET signed over @method and @target-uri with a fresh nonce (ed25519, RFC 9421)."""
        target = f"http://127.0.0.1:{port}{path}"
        params = {
            "created": int(time.time()),
            "keyid": KEY_ID,
            "nonce": secrets.token_urlsafe(12),
            "alg": "ed25519",
        }
        covered: Any = [([("@method", {}), ("@target-uri", {})], params)]
        signature_params = http_sf.ser(covered)
        base = f'"@method": GET\n"@target-uri": {target}\n"@signature-params": {signature_params}'
        signature = base64.b64encode(self.private_key.sign(base.encode())).decode()
        return (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {self.token}\r\n"
            f"Signature-Input: sig1={signature_params}\r\nSignature: sig1=:{signature}:\r\n"
            "Accept: application/json\r\n\r\n"
        ).encode()

    def pool(self, port: int, path: str, count: int) -> Callable[[], bytes]:
        """`count` distinct signed requests, signed now so signing is not what the bench measures."""
        made: Iterator[bytes] = iter([self.request(port, path) for _ in range(count)])

        def take() -> bytes:
            try:
                return next(made)
            except StopIteration:
                raise RuntimeError("the signed request pool ran out: raise --signed-pool") from None

        return take
