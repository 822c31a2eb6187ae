"""Verification by one-time code: expiring, single-use, attempt- and rate-limited; the dev outbox."""

from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa

from hues_shared.contracts.identity import AccountVerified
from hues_shared.testing.apps import running_service
from hues_shared.testing.events import outbox_events
from hues_shared.testing.tokens import SigningKeys
from identity_service.config import IdentitySettings
from identity_service.main import create_app
from identity_service.testing import IdentityDriver, backdate
from identity_service.verification.models import OtpChallenge


async def _pending(api: IdentityDriver) -> tuple[str, str]:
    body = api.citizen_body()
    response = await api.client.post("/v1/accounts/citizens", json=body)
    return response.json()["account_id"], body["phone"]


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10 ** len(code):0{len(code)}d}"


async def test_right_code_activates_the_account_and_publishes_verified(api: IdentityDriver) -> None:
    account_id, phone = await _pending(api)
    response = await api.verify(account_id, phone)
    assert response.status_code == 200
    assert response.json()["status"] == "active"
    assert [e.account_id for e in await outbox_events(api.service.runtime, AccountVerified)] == [account_id]


async def test_pending_account_cannot_log_in(api: IdentityDriver) -> None:
    _, phone = await _pending(api)
    response = await api.login(phone)
    assert response.status_code == 400
    assert "not verified" in response.json()["error_description"]


async def test_code_works_only_once(api: IdentityDriver) -> None:
    account_id, phone = await _pending(api)
    code = await api.last_code_to(phone)
    await api.client.post("/v1/accounts/verify", json={"account_id": account_id, "code": code})
    again = await api.client.post("/v1/accounts/verify", json={"account_id": account_id, "code": code})
    assert again.status_code == 409


async def test_wrong_code_is_refused_and_the_attempt_is_counted(api: IdentityDriver) -> None:
    account_id, phone = await _pending(api)
    code = await api.last_code_to(phone)
    response = await api.client.post(
        "/v1/accounts/verify", json={"account_id": account_id, "code": _wrong(code)}
    )
    assert response.status_code == 400
    assert response.json()["type"].endswith("/invalid-otp")
    async with api.service.runtime.db.sessions() as session:
        attempts = await session.scalar(sa.text("SELECT attempts FROM otp_challenges"))
    assert attempts == 1


async def test_too_many_wrong_codes_burn_the_code(api: IdentityDriver) -> None:
    account_id, phone = await _pending(api)
    code = await api.last_code_to(phone)
    for _ in range(5):
        await api.client.post("/v1/accounts/verify", json={"account_id": account_id, "code": _wrong(code)})
    response = await api.client.post("/v1/accounts/verify", json={"account_id": account_id, "code": code})
    assert response.status_code == 429


async def test_expired_code_is_refused(api: IdentityDriver) -> None:
    account_id, phone = await _pending(api)
    await backdate(api.service, OtpChallenge, "expires_at", timedelta(seconds=1))
    response = await api.verify(account_id, phone)
    assert response.status_code == 400


async def test_resend_replaces_the_earlier_code(api: IdentityDriver) -> None:
    account_id, phone = await _pending(api)
    old = await api.last_code_to(phone)
    response = await api.client.post("/v1/accounts/verify/resend", json={"account_id": account_id})
    assert response.status_code == 202
    new = await api.last_code_to(phone)
    if new != old:
        refused = await api.client.post("/v1/accounts/verify", json={"account_id": account_id, "code": old})
        assert refused.status_code == 400
    assert (
        await api.client.post("/v1/accounts/verify", json={"account_id": account_id, "code": new})
    ).status_code == 200


async def test_resend_is_rate_limited_per_hour(api: IdentityDriver) -> None:
    account_id, _ = await _pending(api)
    statuses = [
        (await api.client.post("/v1/accounts/verify/resend", json={"account_id": account_id})).status_code
        for _ in range(5)
    ]
    assert statuses[:4] == [202] * 4 and statuses[4] == 429


async def test_resend_too_soon_says_when_to_retry(
    make_settings: Callable[..., IdentitySettings], test_keys: SigningKeys
) -> None:
    async with running_service(
        create_app, make_settings(otp_resend_interval_seconds=60), keys=test_keys
    ) as service:
        api = IdentityDriver(service, test_keys)
        account_id, _ = await _pending(api)
        response = await api.client.post("/v1/accounts/verify/resend", json={"account_id": account_id})
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0


async def test_otp_outbox_route_does_not_exist_outside_development(api: IdentityDriver) -> None:
    assert api.service.runtime.settings.environment == "test"
    response = await api.client.get("/v1/dev/otp-outbox")
    assert response.status_code == 404


async def test_otp_outbox_shows_sent_codes_in_development(
    make_settings: Callable[..., IdentitySettings], test_keys: SigningKeys
) -> None:
    async with running_service(
        create_app, make_settings(environment="development"), keys=test_keys
    ) as service:
        api = IdentityDriver(service, test_keys)
        _, phone = await _pending(api)
        code = await api.last_code_to(phone)
        response = await api.client.get("/v1/dev/otp-outbox")
    assert response.status_code == 200
    assert response.json()[0]["destination"] == phone
    assert code in response.json()[0]["text"]
