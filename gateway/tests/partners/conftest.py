"""A gateway whose machine routes trust a test partner issuer, and partners signed up through events."""

from __future__ import annotations

import base64
import secrets
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from gateway.config import UPSTREAM_NAMES, GatewaySettings
from gateway.main import create_app
from hues_shared.contracts.integration import ApplicationApproved, SigningKeyRegistered
from hues_shared.events.bus import InMemoryBus
from hues_shared.events.contracts import EventContract
from hues_shared.events.outbox import envelope_for
from hues_shared.sealing import Sealer
from hues_shared.testing.tokens import SigningKeys, static_verifier
from hues_shared.types import utcnow

sys.path.insert(0, str(Path(__file__).parent))  # the test-only `hand_signer` module

PARTNER_ISSUER = "http://integration.test"
PARTNER_AUDIENCE = "hue-s-partners"
SEALING_SECRET = "a-test-sealing-secret-of-enough-length"


@dataclass
class Partner:
    """One approved application's client with a signing key, as integration's events announce it."""

    application_id: str
    client_id: str
    key_id: str
    algorithm: str
    private_key: ed25519.Ed25519PrivateKey | None = None
    hmac_key: bytes | None = None
    environment: str = "sandbox"
    scope: str = "partner.connection.check"
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class PartnerGateway:
    client: httpx.AsyncClient
    bus: InMemoryBus
    keys: SigningKeys
    app: Any

    async def publish(self, *events: EventContract) -> None:
        await self.bus.publish([envelope_for(e, source="/hues/integration-service") for e in events])

    def token(self, partner: Partner, **claims: Any) -> str:
        values: dict[str, Any] = {
            "sub": partner.client_id,
            "roles": ["partner_client"],
            "kind": "partner_client",
            "issuer": PARTNER_ISSUER,
            "audience": PARTNER_AUDIENCE,
            "client_id": partner.client_id,
            "app": partner.application_id,
            "env": partner.environment,
            "scope": partner.scope,
        }
        values.update(claims)
        return self.keys.token(**values)

    async def onboard(self, *, algorithm: str = "ed25519", environment: str = "sandbox") -> Partner:
        """Announce an approved application and its key through the bus, as integration-service does."""
        suffix = secrets.token_hex(4)
        partner = Partner(
            application_id=f"app-{suffix}",
            client_id=f"client-{suffix}",
            key_id=f"key-{suffix}",
            algorithm=algorithm,
            environment=environment,
        )
        public_key = sealed = None
        if algorithm == "ed25519":
            partner.private_key = ed25519.Ed25519PrivateKey.generate()
            public_key = (
                partner.private_key.public_key()
                .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
                .decode()
            )
        else:
            partner.hmac_key = secrets.token_bytes(32)
            sealed = Sealer(SEALING_SECRET).seal(partner.hmac_key)
        now = utcnow()
        await self.publish(
            ApplicationApproved(
                application_id=partner.application_id,
                owner_kind="organization",
                owner_id="org-a",
                actor_id="dic",
                status="active",
                at=now,
                environment=environment,
            ),
            SigningKeyRegistered(
                application_id=partner.application_id,
                client_id=partner.client_id,
                key_id=partner.key_id,
                algorithm=algorithm,
                environment=environment,
                public_key=public_key,
                sealed_secret=sealed,
                registered_at=now,
            ),
        )
        registry = self.app.state.partners.registry
        await _until(lambda: registry.key(partner.key_id) is not None)
        return partner


async def _until(condition: Callable[[], bool], *, within: float = 5.0) -> None:
    import asyncio

    deadline = asyncio.get_running_loop().time() + within
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


@pytest.fixture
def until() -> Callable[..., Any]:
    return _until


MakePartnerGateway = Callable[..., Any]


@pytest.fixture
async def make_partner_gateway(
    upstream_url: str, test_keys: SigningKeys, tmp_path: Path
) -> AsyncIterator[Any]:
    partner_keys = SigningKeys()
    async with AsyncExitStack() as stack:

        async def make(*, bus: InMemoryBus | None = None, **overrides: Any) -> PartnerGateway:
            """Gateway settings `overrides` (partner_environment=..., redis_url=...)."""
            bus = bus or InMemoryBus()
            values: dict[str, Any] = {
                **{f"upstream_{name}_url": upstream_url for name in UPSTREAM_NAMES},
                "environment": "test",
                "log_json": False,
                "partner_issuer": PARTNER_ISSUER,
                "partner_audience": PARTNER_AUDIENCE,
                "partner_key_sealing_secret": SEALING_SECRET,
                **overrides,
            }
            app = create_app(
                GatewaySettings(**values),
                bus=bus,
                token_verifier=static_verifier(test_keys),
                partner_verifier=static_verifier(
                    partner_keys, issuer=PARTNER_ISSUER, audience=PARTNER_AUDIENCE
                ),
            )
            await stack.enter_async_context(LifespanManager(app))
            client = await stack.enter_async_context(
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway.test")
            )
            return PartnerGateway(client=client, bus=bus, keys=partner_keys, app=app)

        yield make


@pytest.fixture
async def partner_gateway(make_partner_gateway: Any) -> PartnerGateway:
    return await make_partner_gateway()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
