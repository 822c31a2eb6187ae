"""Each access policy holds against the ways a token can be missing, stale, forged or insufficient."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

from cryptography.hazmat.primitives import serialization

from hues_shared.testing.tokens import SigningKeys, bearer


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": "http://127.0.0.1:8001",
        "aud": "hue-s",
        "sub": "acc-1",
        "sid": "s-1",
        "iat": now,
        "exp": now + 300,
        "typ": "access",
        "roles": ["citizen"],
        "permissions": [],
    }
    return claims | overrides


async def test_protected_route_without_token_is_refused(gateway: Any) -> None:
    response = await gateway.client.get("/v1/notification/inbox")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_public_route_passes_without_token(gateway: Any, echoed: Any) -> None:
    seen = echoed(await gateway.client.get("/v1/catalog/categories"))
    assert seen["path"] == "/v1/categories"


async def test_valid_token_reaches_the_upstream_with_its_authorization_header(
    gateway: Any, test_keys: SigningKeys, echoed: Any
) -> None:
    token = test_keys.token(sub="citizen-1")
    seen = echoed(await gateway.client.get("/v1/notification/inbox", headers=bearer(token)))
    assert seen["path"] == "/v1/inbox"
    assert seen["headers"]["authorization"] == f"Bearer {token}"


async def test_expired_token_is_refused(gateway: Any, test_keys: SigningKeys) -> None:
    token = test_keys.token(expires_in=-120)
    response = await gateway.client.get("/v1/notification/inbox", headers=bearer(token))
    assert response.status_code == 401
    assert response.json()["type"].endswith("/token-expired")


async def test_token_signed_by_another_key_is_refused(gateway: Any) -> None:
    forger = SigningKeys(kid=SigningKeys().kid)
    response = await gateway.client.get("/v1/notification/inbox", headers=bearer(forger.token()))
    assert response.status_code == 401
    assert response.json()["type"].endswith("/invalid-token")


async def test_forged_token_reusing_the_real_kid_is_refused(gateway: Any, test_keys: SigningKeys) -> None:
    forger = SigningKeys(kid=test_keys.kid)
    response = await gateway.client.get("/v1/notification/inbox", headers=bearer(forger.token()))
    assert response.status_code == 401


async def test_unsigned_alg_none_token_is_refused(gateway: Any, test_keys: SigningKeys) -> None:
    token = f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': test_keys.kid})}.{_b64(_claims())}."
    response = await gateway.client.get("/v1/notification/inbox", headers=bearer(token))
    assert response.status_code == 401


async def test_swapped_algorithm_hs256_with_the_public_key_as_secret_is_refused(
    gateway: Any, test_keys: SigningKeys
) -> None:
    private = serialization.load_pem_private_key(test_keys.private_pem, password=None)
    public_pem = private.public_key().public_bytes(  # what an attacker can derive from the JWKS
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signing_input = f"{_b64({'alg': 'HS256', 'typ': 'JWT', 'kid': test_keys.kid})}.{_b64(_claims())}"
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    token = f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
    response = await gateway.client.get("/v1/notification/inbox", headers=bearer(token))
    assert response.status_code == 401
    assert "algorithm" in response.json()["detail"]


async def test_token_for_another_audience_is_refused(gateway: Any, test_keys: SigningKeys) -> None:
    response = await gateway.client.get(
        "/v1/notification/inbox", headers=bearer(test_keys.token(audience="another-app"))
    )
    assert response.status_code == 401


async def test_token_from_another_issuer_is_refused(gateway: Any, test_keys: SigningKeys) -> None:
    response = await gateway.client.get(
        "/v1/notification/inbox", headers=bearer(test_keys.token(issuer="https://evil.example"))
    )
    assert response.status_code == 401


async def test_refresh_token_shaped_jwt_is_refused(gateway: Any, test_keys: SigningKeys) -> None:
    response = await gateway.client.get(
        "/v1/notification/inbox", headers=bearer(test_keys.token(typ="refresh"))
    )
    assert response.status_code == 401


async def test_citizen_cannot_reach_staff_routes(gateway: Any, test_keys: SigningKeys) -> None:
    token = test_keys.token(roles=["citizen"])
    for path in (
        "/v1/identity/admin/accounts",
        "/v1/identity/audit-events",
        "/v1/identity/admin/signing-keys",
    ):
        response = await gateway.client.get(path, headers=bearer(token))
        assert response.status_code == 403, path
        assert response.json()["type"].endswith("/forbidden")


async def test_citizen_holding_a_permission_still_cannot_reach_staff_routes(
    gateway: Any, test_keys: SigningKeys
) -> None:
    token = test_keys.token(roles=["citizen"], permissions=["identity.account.administer"])
    assert (await gateway.client.get("/v1/identity/admin/accounts", headers=bearer(token))).status_code == 403


async def test_staff_with_the_function_permission_reaches_administration(
    gateway: Any, test_keys: SigningKeys, echoed: Any
) -> None:
    token = test_keys.token(roles=["dic_admin"], permissions=["identity.account.administer"], kind="staff")
    seen = echoed(await gateway.client.get("/v1/identity/admin/accounts", headers=bearer(token)))
    assert seen["path"] == "/v1/admin/accounts"


async def test_staff_without_the_function_permission_is_refused(gateway: Any, test_keys: SigningKeys) -> None:
    token = test_keys.token(roles=["agency_admin"], unit="unit-1", kind="staff")
    response = await gateway.client.get("/v1/identity/admin/accounts", headers=bearer(token))
    assert response.status_code == 403
    assert "identity.account.administer" in response.json()["detail"]


async def test_function_permission_route_needs_the_grant(
    gateway: Any, test_keys: SigningKeys, echoed: Any
) -> None:
    without = test_keys.token(roles=["dic_admin"], kind="staff")
    with_grant = test_keys.token(
        roles=["ioc_operator"], permissions=["platform.deadletter.manage"], kind="staff"
    )
    refused = await gateway.client.get("/v1/feedback/ops/dead-letters", headers=bearer(without))
    assert refused.status_code == 403
    assert "Art. 15.1" in refused.json()["detail"]
    seen = echoed(await gateway.client.get("/v1/feedback/ops/dead-letters", headers=bearer(with_grant)))
    assert seen["path"] == "/v1/ops/dead-letters"


async def test_expired_password_token_reaches_only_the_password_change_route_and_reading_me(
    gateway: Any, test_keys: SigningKeys, echoed: Any
) -> None:
    token = test_keys.token(pwd_expired=True)
    refused = await gateway.client.get("/v1/notification/inbox", headers=bearer(token))
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("/password-expired")
    seen = echoed(await gateway.client.post("/v1/identity/me/password", headers=bearer(token), json={}))
    assert seen["path"] == "/v1/me/password"
    assert echoed(await gateway.client.get("/v1/identity/me", headers=bearer(token)))["path"] == "/v1/me"


async def test_machine_route_refuses_an_account_token(gateway: Any, test_keys: SigningKeys) -> None:
    response = await gateway.client.get("/v1/integration/partner/reports", headers=bearer(test_keys.token()))
    assert response.status_code == 401
    assert response.json()["type"].endswith("/invalid-client-token")


async def test_machine_route_no_longer_admits_the_partner_client_role_placeholder(
    gateway: Any, test_keys: SigningKeys
) -> None:
    """Issue 9: only integration's client tokens with a signature pass (see gateway/tests/partners)."""
    token = test_keys.token(sub="app-7", roles=["partner_client"], kind="partner_client", client_id="app-7")
    response = await gateway.client.get("/v1/integration/partner/reports", headers=bearer(token))
    assert response.status_code == 401


async def test_public_route_ignores_a_bad_token(gateway: Any, echoed: Any) -> None:
    echoed(await gateway.client.get("/v1/identity/wards", headers=bearer("not-a-jwt")))


async def test_gateway_refuses_a_token_without_an_audience(gateway: Any, test_keys: SigningKeys) -> None:
    """Issue 7, item 15: the audience is required on every access token."""
    from jose import jwt

    claims = jwt.get_unverified_claims(test_keys.token())
    del claims["aud"]
    token = jwt.encode(
        claims, test_keys.private_pem.decode(), algorithm="ES256", headers={"kid": test_keys.kid}
    )
    response = await gateway.client.get("/v1/notification/inbox", headers=bearer(token))
    assert response.status_code == 401
    assert response.json()["type"].endswith("/invalid-token")


async def test_cached_token_is_verified_again_after_the_longest_token_lifetime(
    test_keys: SigningKeys,
) -> None:
    """Issue 7, item 15: a token whose exp lies a year ahead is not trusted from the cache for a year; once
    the cap passes it meets today's keys (here: its signing key was withdrawn meanwhile)."""
    import asyncio

    import pytest

    from gateway.policies.tokens import CachingTokenVerifier
    from hues_shared.auth.jwks import TokenInvalid
    from hues_shared.testing.tokens import static_verifier

    shared = static_verifier(test_keys)
    cache = CachingTokenVerifier(shared, max_entries=100, max_age_seconds=0.2)
    long_lived = test_keys.token(expires_in=365 * 86_400)
    assert (await cache.verify(long_lived)).principal.account_id
    shared.jwks.load({"keys": []})  # the key is withdrawn (rotation after a compromise)
    assert (await cache.verify(long_lived)).principal.account_id  # still within the cap: served from cache
    await asyncio.sleep(0.3)
    with pytest.raises(TokenInvalid):
        await cache.verify(long_lived)
