"""One-time-code attempts under concurrent guessing, on PostgreSQL (issue 15).

A wrong code counts an attempt and five burn the code (Art. 3.2 verification; docs/identity.md). Guesses
sent in parallel must each be counted: a lost update would let an attacker try far more than five codes.
"""

import asyncio

import pytest
import sqlalchemy as sa

from identity_service.testing import IdentityDriver

pytestmark = pytest.mark.databases("postgresql")
GUESSES = 12


async def test_parallel_wrong_codes_are_each_counted(api: IdentityDriver) -> None:
    body = api.citizen_body()
    account_id = (await api.client.post("/v1/accounts/citizens", json=body)).json()["account_id"]
    code = api.last_code_to(body["phone"])
    wrong = [f"{(int(code) + n) % 10 ** len(code):0{len(code)}d}" for n in range(1, GUESSES + 1)]
    responses = await asyncio.gather(
        *(api.client.post("/v1/accounts/verify", json={"account_id": account_id, "code": w}) for w in wrong)
    )
    statuses = [r.status_code for r in responses]
    max_attempts = api.components.settings.otp_max_attempts
    assert statuses.count(400) == max_attempts, statuses  # judged wrong: at most the allowed attempts
    assert statuses.count(429) == GUESSES - max_attempts, statuses  # the rest find the code burnt
    async with api.service.runtime.db.sessions() as session:
        attempts = await session.scalar(sa.text("SELECT attempts FROM otp_challenges"))
    assert attempts == max_attempts
