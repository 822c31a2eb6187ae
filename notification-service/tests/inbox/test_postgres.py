"""Fan-out on read on real PostgreSQL with many accounts: a province-wide warning stays one row."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from hues_shared.testing.apps import running_service
from hues_shared.testing.events import RecordingBus
from hues_shared.testing.tokens import SigningKeys, bearer
from notification_service.main import create_app
from notification_service.testing import KHE_TRE, PHU_XUAN, THUAN_AN, World, settings_for

pytestmark = pytest.mark.postgres
ACCOUNTS = 20_000
WARDS = [PHU_XUAN, THUAN_AN, KHE_TRE]


async def _seed_accounts(world: World) -> list[str]:
    ids = [str(uuid.uuid4()) for _ in range(ACCOUNTS)]
    async with world.service.runtime.db.unit_of_work() as session:
        await session.execute(
            sa.text(
                "INSERT INTO recipients (account_id, kind, home_ward_code, language, updated_at) "
                "SELECT id, 'citizen', (ARRAY[:w1, :w2, :w3])[1 + (n % 3)], 'vi', now() "
                "FROM unnest(CAST(:ids AS varchar[])) WITH ORDINALITY AS t(id, n)"
            ),
            {"ids": ids, "w1": WARDS[0], "w2": WARDS[1], "w3": WARDS[2]},
        )
    return ids


@pytest.fixture
async def pg_world(postgres_url: str, tmp_path: Path, test_keys: SigningKeys) -> World:
    settings = settings_for(tmp_path, database_url=postgres_url)
    async with running_service(create_app, settings, keys=test_keys, bus=RecordingBus()) as service:
        yield World(service, test_keys)


def _token(world: World, account_id: str) -> str:
    return world.keys.token(sub=account_id, roles=("citizen",))


async def _count(world: World, table: str) -> int:
    async with world.service.runtime.db.sessions() as session:
        return int(await session.scalar(sa.text(f"SELECT count(*) FROM {table}")) or 0)


async def test_a_province_wide_warning_is_one_row_for_twenty_thousand_accounts(pg_world: World) -> None:
    ids = await _seed_accounts(pg_world)
    alert = await pg_world.published_alert({"everyone": True})
    assert (await _count(pg_world, "notices"), await _count(pg_world, "notice_audiences")) == (1, 1)
    for account_id in (ids[0], ids[ACCOUNTS // 2], ids[-1]):
        items = await pg_world.inbox(_token(pg_world, account_id))
        assert [i["id"] for i in items] == [alert["id"]]
    assert await _count(pg_world, "notice_states") == 0
    stats = await pg_world.service.client.get(
        f"/v1/notices/{alert['id']}/statistics", headers=bearer(pg_world.operator())
    )
    assert stats.status_code == 403  # another operator is not the author


async def test_ward_feeds_page_and_count_on_postgresql(pg_world: World) -> None:
    ids = await _seed_accounts(pg_world)
    everyone = [await pg_world.published_notice({"everyone": True}) for _ in range(3)]
    author = pg_world.operator()
    for ward in WARDS:
        draft = await pg_world.draft_notice(author, {"ward_codes": [ward]})
        published = await pg_world.publish(author, draft["id"])
        stats = await pg_world.service.client.get(
            f"/v1/notices/{published['id']}/statistics", headers=bearer(author)
        )
        assert stats.json()["targeted"] == (6666 if ward == WARDS[0] else 6667)
    reader = _token(pg_world, ids[0])  # ward index 1 % 3 -> THUAN_AN
    seen, cursor = [], None
    while True:
        query = "?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = (await pg_world.service.client.get(f"/v1/inbox{query}", headers=bearer(reader))).json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 4 and {i["id"] for i in seen} >= {n["id"] for n in everyone}
    read = await pg_world.service.client.patch(
        f"/v1/inbox/{seen[0]['id']}", json={"read": True}, headers=bearer(reader)
    )
    assert read.status_code == 200
    count = (await pg_world.service.client.get("/v1/inbox/unread-count", headers=bearer(reader))).json()
    assert count == {"unread": 3}
