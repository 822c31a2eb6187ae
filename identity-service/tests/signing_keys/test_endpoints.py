"""JWKS, discovery, rotation, keys at rest — and verification with an independent JOSE library."""

from collections.abc import Callable
from datetime import timedelta

import pytest
import sqlalchemy as sa
from joserfc import jwt as rfc_jwt
from joserfc.jwk import KeySet
from pydantic import ValidationError

from hues_shared.auth.jwks import JwksCache, TokenVerifier
from hues_shared.testing.apps import running_service
from hues_shared.testing.tokens import SigningKeys, bearer
from hues_shared.types import utcnow
from identity_service.config import (
    DEVELOPMENT_BLIND_INDEX_KEY,
    DEVELOPMENT_DATA_KEY,
    DEVELOPMENT_SIGNING_KEY_KEY,
    IdentitySettings,
)
from identity_service.main import create_app
from identity_service.signing_keys.models import SigningKey
from identity_service.testing import CITIZEN_CCCD, IdentityDriver, backdate


async def test_issued_tokens_verify_with_joserfc_from_the_jwks_alone(api: IdentityDriver) -> None:
    citizen = await api.active_citizen()
    token = await api.access_token(CITIZEN_CCCD)
    jwks = (await api.client.get("/.well-known/jwks.json")).json()
    decoded = rfc_jwt.decode(token, KeySet.import_key_set(jwks), algorithms=["ES256"])
    registry = rfc_jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": "http://127.0.0.1:8001"}, aud={"essential": True, "value": "hue-s"}
    )
    registry.validate(decoded.claims)
    assert decoded.header["alg"] == "ES256"
    assert decoded.claims["sub"] == citizen["account_id"]


async def test_shared_verifier_accepts_identity_tokens_from_the_jwks(api: IdentityDriver) -> None:
    await api.active_citizen()
    token = await api.access_token(CITIZEN_CCCD)
    jwks = (await api.client.get("/.well-known/jwks.json")).json()
    verifier = TokenVerifier(
        JwksCache("unused", static_keys=jwks), issuer="http://127.0.0.1:8001", audience="hue-s"
    )
    claims = await verifier.verify(token)
    assert claims["typ"] == "access"


async def test_jwks_publishes_only_public_ec_keys(api: IdentityDriver) -> None:
    keys = (await api.client.get("/.well-known/jwks.json")).json()["keys"]
    assert len(keys) == 1
    assert (
        keys[0]["kty"] == "EC" and keys[0]["crv"] == "P-256" and keys[0]["alg"] == "ES256" and keys[0]["kid"]
    )
    assert "d" not in keys[0]


async def test_openid_configuration_points_at_the_endpoints(api: IdentityDriver) -> None:
    document = (await api.client.get("/.well-known/openid-configuration")).json()
    assert document["issuer"] == "http://127.0.0.1:8001"  # this test app's JWT_ISSUER
    # Issue 14, item 1: the public addresses through the gateway (PUBLIC_BASE_URL; embedded default).
    assert document["jwks_uri"] == "http://127.0.0.1:8000/.well-known/jwks.json"
    assert document["token_endpoint"] == "http://127.0.0.1:8000/v1/identity/auth/token"
    assert document["revocation_endpoint"] == "http://127.0.0.1:8000/v1/identity/auth/revoke"
    assert document["userinfo_endpoint"] == "http://127.0.0.1:8000/v1/identity/me"
    assert document["id_token_signing_alg_values_supported"] == ["ES256"]


async def test_rotation_keeps_the_previous_key_published_and_its_tokens_valid(api: IdentityDriver) -> None:
    await api.active_citizen()
    old_token = await api.access_token(CITIZEN_CCCD)
    response = await api.client.post("/v1/admin/signing-keys/rotate", headers=api.dic_admin_headers())
    assert response.status_code == 200
    jwks = (await api.client.get("/.well-known/jwks.json")).json()
    assert len(jwks["keys"]) == 2
    new_token = await api.access_token(CITIZEN_CCCD)
    assert rfc_jwt.decode(new_token, KeySet.import_key_set(jwks)).header["kid"] == response.json()["kid"]
    assert rfc_jwt.decode(old_token, KeySet.import_key_set(jwks)).claims["sub"]
    assert (await api.client.get("/v1/me", headers=bearer(old_token))).status_code == 200


async def test_retired_key_leaves_the_jwks_once_its_tokens_expired(api: IdentityDriver) -> None:
    await api.client.post("/v1/admin/signing-keys/rotate", headers=api.dic_admin_headers())
    async with api.service.runtime.db.unit_of_work() as session:
        await session.execute(
            sa.update(SigningKey)
            .where(SigningKey.retired_at.is_not(None))
            .values(publish_until=utcnow() - timedelta(seconds=1))
        )
        await api.components.keys.load(session)
    assert len((await api.client.get("/.well-known/jwks.json")).json()["keys"]) == 1


async def test_rotation_needs_the_permission(api: IdentityDriver) -> None:
    response = await api.client.post("/v1/admin/signing-keys/rotate", headers=bearer(api.keys.token()))
    assert response.status_code == 403


async def test_scheduled_rotation_replaces_an_old_key(api: IdentityDriver) -> None:
    await backdate(api.service, SigningKey, "created_at", timedelta(days=31))
    async with api.service.runtime.db.unit_of_work() as session:
        await api.components.keys.ensure_key(session)
    assert len((await api.client.get("/.well-known/jwks.json")).json()["keys"]) == 2


async def test_private_keys_are_encrypted_at_rest(api: IdentityDriver) -> None:
    async with api.service.runtime.db.sessions() as session:
        stored = (await session.execute(sa.text("SELECT private_key_enc FROM signing_keys"))).scalar_one()
    assert "PRIVATE KEY" not in stored


async def test_the_key_survives_a_restart(
    make_settings: Callable[..., IdentitySettings], test_keys: SigningKeys
) -> None:
    settings = make_settings()
    kids = []
    for _ in range(2):
        async with running_service(create_app, settings, keys=test_keys) as service:
            kids.append((await service.client.get("/.well-known/jwks.json")).json()["keys"][0]["kid"])
    assert kids[0] == kids[1]


async def test_token_signed_by_a_foreign_key_is_refused(api: IdentityDriver) -> None:
    stranger = SigningKeys()
    response = await api.client.get("/v1/me", headers=bearer(stranger.token()))
    assert response.status_code == 401


PRODUCTION = {
    "environment": "production",
    "database_url": "postgresql+asyncpg://db/identity",
    "bus": "kafka",
    "otp_provider": "http",
    "sms_gateway_url": "https://sms.example/send",
    "trusted_proxy_addresses": ["10.0.0.0/8"],
}
OWN_KEYS = {
    "data_encryption_key": "A" * 43 + "=",
    "blind_index_key": "B" * 43 + "=",
    "signing_key_encryption_key": "C" * 43 + "=",
}
BUILTIN_KEYS = {
    "data_encryption_key": DEVELOPMENT_DATA_KEY,
    "blind_index_key": DEVELOPMENT_BLIND_INDEX_KEY,
    "signing_key_encryption_key": DEVELOPMENT_SIGNING_KEY_KEY,
}


@pytest.mark.parametrize("name", list(BUILTIN_KEYS))
@pytest.mark.parametrize("how", ["left unset", "set to the builtin value"])
def test_production_refuses_the_builtin_development_keys(name: str, how: str) -> None:
    """Each of the three keys on its own: the others are production's own, this one is the public one."""
    keys = {k: v for k, v in OWN_KEYS.items() if k != name}
    if how == "set to the builtin value":
        keys[name] = BUILTIN_KEYS[name]
    with pytest.raises(ValidationError, match=f"IDENTITY_{name.upper()} must be set"):
        IdentitySettings(**PRODUCTION, **keys)


def test_production_accepts_its_own_keys() -> None:
    assert IdentitySettings(**PRODUCTION, **OWN_KEYS).environment == "production"


def test_production_refuses_the_console_otp_provider() -> None:
    keys = {
        name: "A" * 43 + "="
        for name in ("data_encryption_key", "blind_index_key", "signing_key_encryption_key")
    }
    with pytest.raises(ValidationError, match="SMS gateway"):
        IdentitySettings(
            environment="production", database_url="postgresql+asyncpg://db/x", bus="kafka", **keys
        )


def test_a_deployment_that_forgets_the_environment_runs_as_production(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The default used to be development: public keys and a readable OTP outbox (issue 7, item 13)."""
    monkeypatch.delenv("IDENTITY_ENVIRONMENT", raising=False)
    with pytest.raises(ValidationError, match=r"production|must be set"):
        IdentitySettings()


def test_production_refuses_to_trust_only_loopback_behind_a_gateway() -> None:
    """Issue 7 item 3: behind the gateway every login would count against the gateway pod's address."""
    production = {
        "environment": "production",
        "database_url": "postgresql+asyncpg://db/identity",
        "bus": "kafka",
        "otp_provider": "http",
        "sms_gateway_url": "https://sms.example/send",
        **{
            name: "A" * 43 + "="
            for name in ("data_encryption_key", "blind_index_key", "signing_key_encryption_key")
        },
    }
    with pytest.raises(ValidationError, match="TRUSTED_PROXY_ADDRESSES"):
        IdentitySettings(**production)
    with pytest.raises(ValidationError, match="TRUSTED_PROXY_ADDRESSES"):
        IdentitySettings(**production, trusted_proxy_addresses=["127.0.0.0/8", "::1"])
    assert IdentitySettings(**production, trusted_proxy_addresses=["10.0.0.0/8"]).trusted_proxy_addresses
