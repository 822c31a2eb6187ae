"""The token endpoint (RFC 6749), brute-force protection, refresh rotation and revocation (RFC 7009)."""

import sqlalchemy as sa
from jose import jwt

from hues_shared.contracts.identity import AccountLocked, SessionRevoked
from hues_shared.testing.events import outbox_events
from hues_shared.testing.tokens import bearer
from identity_service.testing import CITIZEN_CCCD, PASSWORD, IdentityDriver

WRONG = "Wrong-Pass#123"


async def _audit_actions(api: IdentityDriver) -> list[str]:
    async with api.service.runtime.db.sessions() as session:
        return list((await session.execute(sa.text("SELECT action FROM audit_events ORDER BY id"))).scalars())


async def test_login_with_document_number_issues_the_expected_claims(api: IdentityDriver) -> None:
    citizen = await api.active_citizen()
    response = await api.login("046-085-001-234")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 300 and body["refresh_token"]
    header = jwt.get_unverified_header(body["access_token"])
    claims = jwt.get_unverified_claims(body["access_token"])
    assert header["alg"] == "ES256" and header["kid"]
    assert claims["iss"] == "http://127.0.0.1:8001" and claims["aud"] == "hue-s"
    assert claims["sub"] == citizen["account_id"] and claims["sid"] and claims["typ"] == "access"
    assert claims["kind"] == "citizen" and claims["roles"] == ["citizen"] and claims["unit"] is None
    assert claims["pwd_expired"] is False and claims["exp"] - claims["iat"] == 300


async def test_login_with_phone_number(api: IdentityDriver) -> None:
    citizen = await api.active_citizen()
    assert (await api.login("+84" + citizen["phone"][1:])).status_code == 200


async def test_organization_logs_in_with_its_tax_code(api: IdentityDriver) -> None:
    phone = api.next_phone()
    body = {
        "name": "HTX Kim Long",
        "organization_kind": "other",
        "tax_code": "0100109106-001",
        "representative_name": "Phan Thị Dung",
        "phone": phone,
        "password": PASSWORD,
    }
    account_id = (await api.client.post("/v1/accounts/organizations", json=body)).json()["account_id"]
    await api.verify(account_id, phone)
    response = await api.login("0100109106-001")
    assert response.status_code == 200
    assert jwt.get_unverified_claims(response.json()["access_token"])["roles"] == ["organization"]


async def test_wrong_password_and_unknown_account_get_the_same_error(api: IdentityDriver) -> None:
    await api.active_citizen()
    wrong = await api.login(CITIZEN_CCCD, WRONG)
    unknown = await api.login("046085009999", WRONG)
    assert wrong.status_code == unknown.status_code == 400
    assert (
        wrong.json()
        == unknown.json()
        == {"error": "invalid_grant", "error_description": "The login name or password is wrong."}
    )


async def test_repeated_failures_from_one_address_block_even_the_right_password_there(
    api: IdentityDriver,
) -> None:
    await api.active_citizen()
    for _ in range(5):
        await api.login(CITIZEN_CCCD, WRONG)
    response = await api.login(CITIZEN_CCCD)
    assert response.status_code == 400 and response.json()["blocked"] is True
    # a delay, not an account lock: no AccountLocked, so the owner's sessions elsewhere stay open
    assert await outbox_events(api.service.runtime, AccountLocked) == []
    actions = await _audit_actions(api)
    assert actions.count("login.failed") == 5 and "login.delayed" in actions and "login.blocked" in actions


async def test_unknown_login_names_lock_out_the_same_way(api: IdentityDriver) -> None:
    responses = [await api.login("046085009999", WRONG) for _ in range(6)]
    assert responses[-1].json()["blocked"] is True
    assert await outbox_events(api.service.runtime, AccountLocked) == []


async def test_one_client_address_is_throttled_across_accounts(api: IdentityDriver) -> None:
    await api.active_citizen()
    headers = {"X-Forwarded-For": "203.0.113.7"}
    for n in range(30):
        data = {"grant_type": "password", "username": f"0460850{n:05d}", "password": WRONG}
        await api.client.post("/v1/auth/token", data=data, headers=headers)
    data = {"grant_type": "password", "username": CITIZEN_CCCD, "password": PASSWORD}
    blocked = await api.client.post("/v1/auth/token", data=data, headers=headers)
    assert blocked.json().get("blocked") is True
    other_address = await api.client.post(
        "/v1/auth/token", data=data, headers={"X-Forwarded-For": "203.0.113.8"}
    )
    assert other_address.status_code == 200


async def test_refresh_rotates_the_refresh_token(api: IdentityDriver) -> None:
    await api.active_citizen()
    first = (await api.login(CITIZEN_CCCD)).json()
    response = await api.client.post(
        "/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    )
    assert response.status_code == 200
    second = response.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert (
        jwt.get_unverified_claims(second["access_token"])["sid"]
        == jwt.get_unverified_claims(first["access_token"])["sid"]
    )


async def test_reusing_a_spent_refresh_token_revokes_the_whole_family(api: IdentityDriver) -> None:
    await api.active_citizen()
    first = (await api.login(CITIZEN_CCCD)).json()
    refresh = {"grant_type": "refresh_token"}
    second = (
        await api.client.post("/v1/auth/token", data={**refresh, "refresh_token": first["refresh_token"]})
    ).json()
    reuse = await api.client.post("/v1/auth/token", data={**refresh, "refresh_token": first["refresh_token"]})
    assert reuse.status_code == 400 and reuse.json()["error"] == "invalid_grant"
    latest = await api.client.post(
        "/v1/auth/token", data={**refresh, "refresh_token": second["refresh_token"]}
    )
    assert latest.status_code == 400
    assert (await api.client.get("/v1/me", headers=bearer(second["access_token"]))).status_code == 401
    revoked = await outbox_events(api.service.runtime, SessionRevoked)
    assert [e.reason for e in revoked] == ["refresh_token_reuse"]
    assert "session.refresh_reuse" in await _audit_actions(api)


async def test_revoking_a_refresh_token_ends_its_session(api: IdentityDriver) -> None:
    await api.active_citizen()
    tokens = (await api.login(CITIZEN_CCCD)).json()
    response = await api.client.post(
        "/v1/auth/revoke", data={"token": tokens["refresh_token"], "token_type_hint": "refresh_token"}
    )
    assert response.status_code == 200
    assert (await api.client.get("/v1/me", headers=bearer(tokens["access_token"]))).status_code == 401
    refresh = await api.client.post(
        "/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    )
    assert refresh.status_code == 400


async def test_revoking_an_access_token_ends_its_session(api: IdentityDriver) -> None:
    await api.active_citizen()
    tokens = (await api.login(CITIZEN_CCCD)).json()
    assert (
        await api.client.post("/v1/auth/revoke", data={"token": tokens["access_token"]})
    ).status_code == 200
    assert (await api.client.get("/v1/me", headers=bearer(tokens["access_token"]))).status_code == 401


async def test_revoking_an_unknown_token_is_still_200(api: IdentityDriver) -> None:
    assert (await api.client.post("/v1/auth/revoke", data={"token": "nonsense"})).status_code == 200


async def test_logout_all_ends_every_session(api: IdentityDriver) -> None:
    await api.active_citizen()
    one, two = (await api.login(CITIZEN_CCCD)).json(), (await api.login(CITIZEN_CCCD)).json()
    assert (
        await api.client.post("/v1/auth/logout-all", headers=bearer(one["access_token"]))
    ).status_code == 204
    for tokens in (one, two):
        assert (await api.client.get("/v1/me", headers=bearer(tokens["access_token"]))).status_code == 401
    events = await outbox_events(api.service.runtime, SessionRevoked)
    assert events[-1].session_id is None and events[-1].reason == "logout_all"


async def test_oauth_errors_use_the_rfc_6749_form(api: IdentityDriver) -> None:
    unsupported = await api.client.post("/v1/auth/token", data={"grant_type": "client_credentials"})
    missing = await api.client.post("/v1/auth/token", data={"grant_type": "password", "username": "x"})
    no_grant = await api.client.post("/v1/auth/token", data={})
    assert unsupported.json()["error"] == "unsupported_grant_type"
    assert missing.json()["error"] == "invalid_request"
    assert no_grant.json()["error"] == "invalid_request"
    assert {unsupported.status_code, missing.status_code, no_grant.status_code} == {400}


async def test_a_json_token_request_is_told_to_use_a_form(api: IdentityDriver) -> None:
    """JSON got "grant_type is required"; the answer now names the media type (issue 14, item 11)."""
    await api.active_citizen()
    response = await api.client.post(
        "/v1/auth/token", json={"grant_type": "password", "username": CITIZEN_CCCD, "password": PASSWORD}
    )
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"
    assert "application/x-www-form-urlencoded" in response.json()["error_description"]


async def test_swagger_ui_signs_in_with_the_password_flow(api: IdentityDriver) -> None:
    openapi = (await api.client.get("/openapi.json")).json()
    scheme = openapi["components"]["securitySchemes"]["OAuth2Password"]
    assert scheme["flows"]["password"]["tokenUrl"] == "/v1/auth/token"
    assert {"OAuth2Password": []} in openapi["security"]
