"""One authenticator code signs in once, even when forty requests present it at once (issue 7, item 8)."""

import asyncio
import time

import pyotp

from hues_shared.testing.tokens import bearer
from identity_service.testing import CITIZEN_CCCD, IdentityDriver
from identity_service.totp.service import STEP_SECONDS


async def test_forty_parallel_logins_with_one_totp_code_open_one_session(pg_api: IdentityDriver) -> None:
    api = pg_api
    await api.active_citizen()
    headers = bearer(await api.access_token(CITIZEN_CCCD))
    secret = (await api.client.post("/v1/me/totp", headers=headers)).json()["secret"]
    step = int(time.time() // STEP_SECONDS)
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    confirm = await api.client.post(
        "/v1/me/totp/confirm", json={"code": totp.at(step * STEP_SECONDS)}, headers=headers
    )
    assert confirm.status_code == 204, confirm.text
    code = totp.at((step + 1) * STEP_SECONDS)  # the next step: valid now (one step of drift) and unused
    responses = await asyncio.gather(*(api.login(CITIZEN_CCCD, totp=code) for _ in range(40)))
    assert [r.status_code for r in responses].count(200) == 1, [
        r.text for r in responses if r.status_code != 400
    ]
