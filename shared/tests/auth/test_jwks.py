"""Token verification against identity-service's JWKS: caching, refresh on rotation, outages, refusals."""

from __future__ import annotations

import asyncio
import base64
import json
import time

import httpx
import pytest
from jose import jwt

from hues_shared.auth.jwks import JwksCache, TokenExpired, TokenInvalid, TokenVerifier
from hues_shared.testing.apps import RunningService
from hues_shared.testing.tokens import TEST_AUDIENCE, TEST_ISSUER, SigningKeys, bearer

JWKS_URL = "http://identity.test/.well-known/jwks.json"


class FakeIdentity:
    """Serves a JWKS over httpx's mock transport, counts fetches, and can go down."""

    def __init__(self, *keys: SigningKeys) -> None:
        self.keys = list(keys)
        self.fetches = 0
        self.down = False

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.fetches += 1
        if self.down:
            return httpx.Response(503)
        return httpx.Response(200, json={"keys": [k.public_jwk() for k in self.keys]})

    def verifier(self, *, ttl: float = 300, min_refresh_interval: float = 5) -> TokenVerifier:
        client = httpx.AsyncClient(transport=httpx.MockTransport(self.handle))
        cache = JwksCache(JWKS_URL, ttl=ttl, min_refresh_interval=min_refresh_interval, client=client)
        return TokenVerifier(cache, issuer=TEST_ISSUER, audience=TEST_AUDIENCE)


def unsigned(header: dict[str, str], claims: dict[str, object]) -> str:
    def part(value: dict[str, object] | dict[str, str]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part(header)}.{part(claims)}."


def claims(**overrides: object) -> dict[str, object]:
    now = int(time.time())
    base: dict[str, object] = {
        "iss": TEST_ISSUER,
        "aud": TEST_AUDIENCE,
        "sub": "a-1",
        "iat": now,
        "exp": now + 300,
        "typ": "access",
    }
    base.update(overrides)
    return base


async def test_valid_token_is_accepted_and_keys_are_cached() -> None:
    keys = SigningKeys()
    identity = FakeIdentity(keys)
    verifier = identity.verifier()
    for _ in range(3):
        assert (await verifier.verify(keys.token(sub="a-1")))["sub"] == "a-1"
    assert identity.fetches == 1


async def test_unknown_kid_refreshes_once_to_follow_a_rotation() -> None:
    old, new = SigningKeys(), SigningKeys()
    identity = FakeIdentity(old)
    verifier = identity.verifier(min_refresh_interval=0)
    await verifier.verify(old.token())
    identity.keys.append(new)  # identity-service rotated its signing key
    assert (await verifier.verify(new.token(sub="b")))["sub"] == "b"
    assert identity.fetches == 2


async def test_refresh_on_unknown_kid_is_rate_limited() -> None:
    known, stranger = SigningKeys(), SigningKeys()
    identity = FakeIdentity(known)
    verifier = identity.verifier(min_refresh_interval=0.2)
    await verifier.verify(known.token())
    await asyncio.sleep(0.25)
    for _ in range(5):  # a flood of tokens with made-up kids must not hammer identity-service
        with pytest.raises(TokenInvalid, match="unknown key"):
            await verifier.verify(stranger.token())
    assert identity.fetches == 2


async def test_cached_keys_keep_working_while_the_jwks_endpoint_is_down() -> None:
    keys = SigningKeys()
    identity = FakeIdentity(keys)
    verifier = identity.verifier(ttl=0, min_refresh_interval=0)
    await verifier.verify(keys.token())
    identity.down = True
    assert (await verifier.verify(keys.token(sub="still")))["sub"] == "still"
    assert identity.fetches >= 2  # it tried, failed, and kept the stale keys


async def test_alg_none_is_refused_before_any_key_lookup() -> None:
    keys = SigningKeys()
    identity = FakeIdentity(keys)
    token = unsigned({"alg": "none", "typ": "JWT", "kid": keys.kid}, claims())
    with pytest.raises(TokenInvalid, match="algorithm"):
        await identity.verifier().verify(token)
    assert identity.fetches == 0


async def test_hs256_signed_with_the_public_key_is_refused() -> None:
    keys = SigningKeys()
    public_pem = json.dumps(keys.public_jwk())  # the classic key-confusion attack uses public material
    token = jwt.encode(claims(), public_pem, algorithm="HS256", headers={"kid": keys.kid})
    with pytest.raises(TokenInvalid, match="algorithm"):
        await FakeIdentity(keys).verifier().verify(token)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"audience": "someone-else"}, "claims rejected"),
        ({"issuer": "http://evil.test"}, "claims rejected"),
        ({"typ": "refresh"}, "not an access token"),
    ],
)
async def test_wrong_audience_issuer_or_type_is_refused(overrides: dict[str, str], reason: str) -> None:
    keys = SigningKeys()
    with pytest.raises(TokenInvalid, match=reason):
        await FakeIdentity(keys).verifier().verify(keys.token(**overrides))


def _without(keys: SigningKeys, claim: str) -> str:
    claims = jwt.get_unverified_claims(keys.token())
    del claims[claim]
    return str(jwt.encode(claims, keys.private_pem.decode(), algorithm="ES256", headers={"kid": keys.kid}))


@pytest.mark.parametrize("claim", ["aud", "iss"])
async def test_access_token_without_an_audience_or_issuer_is_refused(claim: str) -> None:
    """Issue 7, item 15: the audience (and issuer) is required, not only checked when present."""
    keys = SigningKeys()
    with pytest.raises(TokenInvalid):
        await FakeIdentity(keys).verifier().verify(_without(keys, claim))


async def test_expired_token_is_refused_after_the_leeway() -> None:
    keys = SigningKeys()
    verifier = FakeIdentity(keys).verifier()
    assert await verifier.verify(keys.token(expires_in=-10))  # inside the 30 s leeway for clock skew
    with pytest.raises(TokenExpired):
        await verifier.verify(keys.token(expires_in=-120))


async def test_tampered_signature_is_refused() -> None:
    keys = SigningKeys()
    header, _payload, signature = keys.token().split(".")
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims(sub="admin")).encode()).decode().rstrip("=")
    with pytest.raises(TokenInvalid, match="signature"):
        await FakeIdentity(keys).verifier().verify(f"{header}.{forged_payload}.{signature}")


async def test_garbage_and_kidless_tokens_are_refused() -> None:
    verifier = FakeIdentity(SigningKeys()).verifier()
    with pytest.raises(TokenInvalid, match="malformed"):
        await verifier.verify("not-a-jwt")
    with pytest.raises(TokenInvalid, match="key id"):
        await verifier.verify(unsigned({"alg": "ES256"}, claims()))


async def test_api_answers_401_problems_for_bad_tokens(
    lab_service: RunningService, test_keys: SigningKeys
) -> None:
    ok = await lab_service.client.get("/v1/lab/me", headers=bearer(test_keys.token(sub="c-1")))
    assert ok.status_code == 200 and ok.json()["account_id"] == "c-1"
    expired = await lab_service.client.get("/v1/lab/me", headers=bearer(test_keys.token(expires_in=-600)))
    assert expired.status_code == 401 and expired.json()["type"].endswith("/token-expired")
    foreign = await lab_service.client.get("/v1/lab/me", headers=bearer(SigningKeys().token()))
    assert foreign.status_code == 401 and foreign.json()["type"].endswith("/invalid-token")
