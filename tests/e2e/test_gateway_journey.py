"""Through the gateway only (issue 4): register, verify, log in, refresh, call every service, log out."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest

from tests.e2e.conftest import (
    BOOTSTRAP_ADMIN_PASSWORD,
    BOOTSTRAP_ADMIN_PHONE,
    citizen_registration,
    random_cccd,
)
from tests.e2e.platform_processes import PlatformProcesses

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.kafka]
SERVICES = ("identity", "integration", "feedback", "notification", "catalog")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _login(client: httpx.AsyncClient, username: str, password: str) -> dict[str, str]:
    response = await client.post(
        "/v1/identity/auth/token", data={"grant_type": "password", "username": username, "password": password}
    )
    assert response.status_code == 200, response.text
    tokens: dict[str, str] = response.json()
    return tokens


async def _bootstrap_admin(client: httpx.AsyncClient) -> dict[str, str]:
    """The bootstrap password opens only the password change (issue 14, item 7): change it, sign in."""
    first = await _login(client, BOOTSTRAP_ADMIN_PHONE, BOOTSTRAP_ADMIN_PASSWORD)
    new_password = BOOTSTRAP_ADMIN_PASSWORD + "-new"
    changed = await client.post(
        "/v1/identity/me/password",
        json={"current_password": BOOTSTRAP_ADMIN_PASSWORD, "new_password": new_password},
        headers=bearer(first["access_token"]),
    )
    assert changed.status_code == 204, changed.text
    # The gateway refuses tokens issued before PasswordChanged.changed_at, to the second: sign in from
    # the next second on (the ordinary client just signs in again).
    await asyncio.sleep(1.1)
    return await _login(client, BOOTSTRAP_ADMIN_PHONE, new_password)


async def _code_sent_to(client: httpx.AsyncClient, phone: str) -> str:
    """The one-time code in the development outbox; codes leave after the commit, through identity's
    own event handler, so it may take a moment to arrive."""
    for _ in range(100):
        outbox = (await client.get("/v1/identity/dev/otp-outbox")).json()
        message = next((m for m in outbox if m["destination"] == phone), None)
        if message is not None:
            code = re.search(r"\b(\d{6,8})\b", message["text"])
            assert code, message
            return code[1]
        await asyncio.sleep(0.1)
    raise AssertionError(f"no code reached the development outbox for {phone}")


async def _register_and_verify(client: httpx.AsyncClient, registration: dict[str, object]) -> str:
    response = await client.post("/v1/identity/accounts/citizens", json=registration)
    assert response.status_code == 201, response.text
    account_id = str(response.json()["account_id"])
    code = await _code_sent_to(client, str(registration["phone"]))
    verified = await client.post(
        "/v1/identity/accounts/verify", json={"account_id": account_id, "code": code}
    )
    assert verified.status_code == 200, verified.text
    return account_id


async def test_citizen_journey_through_the_gateway(distributed_platform: PlatformProcesses) -> None:
    async with httpx.AsyncClient(base_url=distributed_platform.url("gateway"), timeout=15) as client:
        registration = citizen_registration(random_cccd())
        account_id = await _register_and_verify(client, registration)
        document = registration["document"]
        assert isinstance(document, dict)
        tokens = await _login(client, str(document["number"]), str(registration["password"]))

        refreshed = await client.post(
            "/v1/identity/auth/token",
            data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        )
        assert refreshed.status_code == 200, refreshed.text
        tokens = refreshed.json()
        access = tokens["access_token"]

        me = await client.get("/v1/identity/me", headers=bearer(access))
        assert me.status_code == 200 and me.json()["id"] == account_id
        inbox: list[dict[str, object]] = []
        for _ in range(100):  # the welcome message arrives through Kafka
            inbox = (await client.get("/v1/notification/inbox", headers=bearer(access))).json()["items"]
            if inbox:
                break
            await asyncio.sleep(0.1)
        assert inbox and inbox[0]["type"] == "welcome"
        assert (await client.get("/v1/feedback/categories")).status_code == 200
        # a citizen cannot reach operators' routes of any service
        for service in SERVICES:
            denied = await client.get(f"/v1/{service}/ops/dead-letters", headers=bearer(access))
            assert denied.status_code == 403, (service, denied.text)

        # the DIC administrator (bootstrap) reaches the protected operations route of every service
        admin = await _bootstrap_admin(client)
        for service in SERVICES:
            listed = await client.get(
                f"/v1/{service}/ops/dead-letters", headers=bearer(admin["access_token"])
            )
            assert listed.status_code == 200, (service, listed.text)

        # logging out (RFC 7009 revocation of the refresh token) ends the session; the gateway then
        # refuses the still-unexpired access token within seconds, from identity's SessionRevoked event
        revoked = await client.post("/v1/identity/auth/revoke", data={"token": tokens["refresh_token"]})
        assert revoked.status_code == 200, revoked.text
        status = 200
        for _ in range(100):
            status = (await client.get("/v1/notification/inbox", headers=bearer(access))).status_code
            if status == 401:
                break
            await asyncio.sleep(0.1)
        assert status == 401
