"""Concurrent steps on one report queue on its row lock (PostgreSQL): exactly one wins, the other is told."""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from feedback_service.config import FeedbackSettings
from feedback_service.main import create_app
from feedback_service.testing import FeedbackDriver
from hues_shared.testing.apps import running_service
from hues_shared.testing.tokens import SigningKeys

pytestmark = pytest.mark.postgres


@pytest.fixture
async def pg_api(postgres_url: str, tmp_path: Path, test_keys: SigningKeys) -> AsyncIterator[FeedbackDriver]:
    settings = FeedbackSettings(environment="test", database_url=postgres_url, log_json=False)
    async with running_service(create_app, settings, keys=test_keys) as service:
        yield FeedbackDriver(service, test_keys)


async def test_two_operators_assigning_at_once_one_wins_the_other_gets_412(pg_api: FeedbackDriver) -> None:
    api = pg_api
    first_unit, second_unit = await api.add_unit(), await api.add_unit()
    report = await api.submit()
    etag = await api.etag(report["id"], api.ioc())

    async def accept(unit_id: str) -> int:
        response = await api.client.post(
            f"/v1/reports/{report['id']}/accept",
            json={"unit_id": unit_id},
            headers={**api.ioc(), "If-Match": etag},
        )
        return response.status_code

    statuses = sorted(await asyncio.gather(accept(first_unit), accept(second_unit)))
    assert statuses == [200, 412]
    final = (await api.client.get(f"/v1/reports/{report['id']}", headers=api.ioc())).json()
    assert final["version"] == 3  # submitted 1 -> accepted 2 -> assigned 3, once
    assert [e["step"] for e in final["timeline"]].count("assigned") == 1


async def test_acknowledge_and_return_raced_never_both_apply(pg_api: FeedbackDriver) -> None:
    """Two officers of the unit race acknowledge and return on the same ETag: one 200, one refused."""
    api = pg_api
    unit_id = await api.add_unit()
    report, _ = await api.assigned_report(unit_id)
    officer = api.officer(unit_id)
    etag = await api.etag(report["id"], officer)

    async def step(name: str, body: dict[str, str]) -> int:
        response = await api.client.post(
            f"/v1/reports/{report['id']}/{name}", json=body, headers={**officer, "If-Match": etag}
        )
        return response.status_code

    results = await asyncio.gather(
        step("acknowledge", {}), step("return", {"reason": "Không phải của chúng tôi"})
    )
    # the loser sees a stale ETag (412), or, when the return won, no longer sees the report (404)
    assert sorted(results)[0] == 200 and sorted(results)[1] in (404, 409, 412)
    final = (await api.client.get(f"/v1/reports/{report['id']}", headers=api.ioc())).json()
    assert final["status"] in ("acknowledged", "returned")
    assert len(final["timeline"]) == 4  # submitted, accepted, assigned, and exactly one of the two
