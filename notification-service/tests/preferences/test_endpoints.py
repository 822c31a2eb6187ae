"""An account's own preferences."""

from __future__ import annotations

from datetime import UTC, datetime

from hues_shared.testing.tokens import bearer
from notification_service.preferences.service import in_quiet_hours, quiet_hours_end
from notification_service.testing import World


async def test_preferences_round_trip(world: World) -> None:
    citizen = await world.citizen()
    body = {
        "topics": ["traffic", "flood"],
        "muted": [{"topic": "city", "channel": "push"}],
        "quiet_hours": {"start": "22:00", "end": "06:00"},
    }
    put = await world.service.client.put("/v1/preferences", json=body, headers=bearer(citizen))
    assert put.status_code == 200, put.text
    got = (await world.service.client.get("/v1/preferences", headers=bearer(citizen))).json()
    assert got["topics"] == ["flood", "traffic"] and got["quiet_hours"] == {"start": "22:00", "end": "06:00"}
    assert got["muted"] == [{"topic": "city", "channel": "push"}]


async def test_invalid_preferences_are_a_422_problem(world: World) -> None:
    citizen = await world.citizen()
    for body in ({"quiet_hours": {"start": "25:00", "end": "06:00"}}, {"topics": ["Bad Topic"]}, {"x": 1}):
        response = await world.service.client.put("/v1/preferences", json=body, headers=bearer(citizen))
        assert response.status_code == 422


async def test_preferences_need_a_token(world: World) -> None:
    assert (await world.service.client.get("/v1/preferences")).status_code == 401


def test_quiet_hours_wrap_past_midnight_in_hue_time() -> None:
    late = datetime(2026, 12, 3, 16, 30, tzinfo=UTC)  # 23:30 in Hue
    noon = datetime(2026, 12, 3, 5, 0, tzinfo=UTC)  # 12:00 in Hue
    assert in_quiet_hours(22 * 60, 6 * 60, at=late)
    assert not in_quiet_hours(22 * 60, 6 * 60, at=noon)
    assert in_quiet_hours(12 * 60, 13 * 60, at=noon)


def test_quiet_hours_end_is_the_next_end_in_hue_time() -> None:
    late = datetime(2026, 12, 3, 16, 30, tzinfo=UTC)  # 23:30 in Hue, quiet 22:00-06:00
    assert quiet_hours_end(22 * 60, 6 * 60, at=late) == datetime(2026, 12, 3, 23, 0, tzinfo=UTC)  # 06:00 Hue
    early = datetime(2026, 12, 3, 21, 0, tzinfo=UTC)  # 04:00 in Hue, the next day
    assert quiet_hours_end(22 * 60, 6 * 60, at=early) == datetime(2026, 12, 3, 23, 0, tzinfo=UTC)
