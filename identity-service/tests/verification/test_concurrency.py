"""The one-time code's attempt limit holds under parallel guessing (issue 7, item 8), on PostgreSQL."""

import asyncio

from identity_service.testing import IdentityDriver


async def test_forty_parallel_wrong_codes_get_no_more_than_the_attempt_limit(pg_api: IdentityDriver) -> None:
    api = pg_api
    body = api.citizen_body()
    account_id = (await api.client.post("/v1/accounts/citizens", json=body)).json()["account_id"]
    right = await api.last_code_to(body["phone"])
    wrong = [f"{(int(right) + n) % 1_000_000:06d}" for n in range(1, 41)]
    responses = await asyncio.gather(
        *(api.client.post("/v1/accounts/verify", json={"account_id": account_id, "code": c}) for c in wrong)
    )
    kinds = [r.json()["type"].rsplit("/", 1)[-1] for r in responses]
    limit = api.components.settings.otp_max_attempts
    assert kinds.count("invalid-otp") <= limit, kinds
    assert kinds.count("invalid-otp") + kinds.count("otp-attempts-exhausted") == 40, kinds
    late = await api.client.post("/v1/accounts/verify", json={"account_id": account_id, "code": right})
    assert late.status_code == 429
