"""The SessionRevoked event names the one session that ended (the gateway refuses that session's tokens,
not the account's others) and why (killers of mutants that survived `make mutation`, docs/testing.md)."""

from jose import jwt

from hues_shared.contracts.identity import SessionRevoked
from hues_shared.testing.events import outbox_events
from hues_shared.testing.tokens import bearer
from identity_service.testing import CITIZEN_CCCD, IdentityDriver


async def test_revoking_one_session_publishes_that_session_and_keeps_the_other(api: IdentityDriver) -> None:
    await api.active_citizen()
    phone = (await api.login(CITIZEN_CCCD)).json()
    laptop = (await api.login(CITIZEN_CCCD)).json()
    response = await api.client.post(
        "/v1/auth/revoke", data={"token": phone["refresh_token"], "token_type_hint": "refresh_token"}
    )
    assert response.status_code == 200
    [event] = await outbox_events(api.service.runtime, SessionRevoked)
    assert event.session_id == jwt.get_unverified_claims(phone["access_token"])["sid"]
    assert event.reason
    assert (await api.client.get("/v1/me", headers=bearer(laptop["access_token"]))).status_code == 200


async def test_refresh_of_an_unknown_token_is_refused(api: IdentityDriver) -> None:
    response = await api.client.post(
        "/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": "not-a-token"}
    )
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"
