"""The client-credentials grant served by integration-service and its JWKS (docs/integration.md)."""

from typing import Any

from fastapi import FastAPI
from jose import jwt

from hues_shared.auth.jwks import JwksCache, TokenVerifier


async def _client(
    onboarding: Any, people: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> tuple[str, dict[str, Any]]:
    application_id = await onboarding.approved(partner_manifest(), partner[0])
    issued = await onboarding.service.client.post(
        f"/v1/applications/{application_id}/clients", json={}, headers=people.organization()
    )
    return application_id, issued.json()


async def _token(onboarding: Any, client_id: str, secret: str, **extra: str) -> Any:
    return await onboarding.service.client.post(
        "/v1/oauth/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret, **extra},
    )


async def test_client_gets_a_token_the_jwks_verifies(
    onboarding: Any, people: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    application_id, issued = await _client(onboarding, people, partner, partner_manifest)
    response = await _token(onboarding, issued["client_id"], issued["client_secret"])
    assert response.status_code == 200, response.text
    token = response.json()["access_token"]
    jwks = (await onboarding.service.client.get("/v1/oauth/jwks.json")).json()
    settings = onboarding.service.runtime.settings
    verifier = TokenVerifier(
        JwksCache("unused", static_keys=jwks),
        issuer=settings.partner_issuer,
        audience=settings.partner_audience,
    )
    claims = await verifier.verify(token)
    assert claims["app"] == application_id and claims["env"] == "sandbox"
    assert claims["scope"] == "integration.application.read partner.connection.check"
    assert claims["roles"] == ["partner_client"]


async def test_basic_authentication_works_too(
    onboarding: Any, people: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    _, issued = await _client(onboarding, people, partner, partner_manifest)
    response = await onboarding.service.client.post(
        "/v1/oauth/token",
        data={"grant_type": "client_credentials", "scope": "partner.connection.check"},
        auth=(issued["client_id"], issued["client_secret"]),
    )
    assert response.status_code == 200 and response.json()["scope"] == "partner.connection.check"


async def test_a_wrong_secret_is_invalid_client(
    onboarding: Any, people: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    _, issued = await _client(onboarding, people, partner, partner_manifest)
    response = await _token(onboarding, issued["client_id"], "hs_guess")
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


async def test_other_grants_and_ungranted_scopes_are_refused(
    onboarding: Any, people: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    _, issued = await _client(onboarding, people, partner, partner_manifest)
    password = await onboarding.service.client.post(
        "/v1/oauth/token",
        data={
            "grant_type": "password",
            "client_id": issued["client_id"],
            "client_secret": issued["client_secret"],
        },
    )
    assert password.status_code == 400 and password.json()["error"] == "unsupported_grant_type"
    scope = await _token(
        onboarding, issued["client_id"], issued["client_secret"], scope="citizen.profile.read"
    )
    assert scope.status_code == 400 and scope.json()["error"] == "invalid_scope"


async def test_rotated_secret_still_works_during_the_overlap(
    onboarding: Any, people: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    _, issued = await _client(onboarding, people, partner, partner_manifest)
    rotated = await onboarding.service.client.post(
        f"/v1/clients/{issued['client_id']}/secrets", headers=people.organization()
    )
    assert (await _token(onboarding, issued["client_id"], issued["client_secret"])).status_code == 200
    assert (await _token(onboarding, issued["client_id"], rotated.json()["client_secret"])).status_code == 200


async def test_a_revoked_secret_gets_no_token(
    onboarding: Any, people: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    _, issued = await _client(onboarding, people, partner, partner_manifest)
    revoked = await onboarding.service.client.delete(
        f"/v1/clients/{issued['client_id']}/secrets/{issued['secret_id']}", headers=people.organization()
    )
    assert revoked.status_code == 204
    assert (await _token(onboarding, issued["client_id"], issued["client_secret"])).status_code == 401


async def test_a_suspended_application_gets_no_token(
    onboarding: Any, people: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    application_id, issued = await _client(onboarding, people, partner, partner_manifest)
    suspended = await onboarding.decide(application_id, "suspend", "abuse reported")
    assert suspended.status_code == 200
    response = await _token(onboarding, issued["client_id"], issued["client_secret"])
    assert response.status_code == 400 and response.json()["error"] == "unauthorized_client"


async def test_tokens_are_es256_with_the_published_kid(
    onboarding: Any, people: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    _, issued = await _client(onboarding, people, partner, partner_manifest)
    token = (await _token(onboarding, issued["client_id"], issued["client_secret"])).json()["access_token"]
    header = jwt.get_unverified_header(token)
    jwks = (await onboarding.service.client.get("/v1/oauth/jwks.json")).json()
    assert header["alg"] == "ES256" and header["kid"] in {k["kid"] for k in jwks["keys"]}
