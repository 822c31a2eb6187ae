"""Who sees a published notice: everyone, ward, CAP polygon/circle, roles, topics, one account (Art. 6.2)."""

from __future__ import annotations

from hues_shared.testing.tokens import bearer
from notification_service.notices.schemas import Target
from notification_service.testing import CENTRES, KHE_TRE, PHU_XUAN, THUAN_AN, World

# A square around Phú Xuân's centre only.
AROUND_PHU_XUAN = [[16.45, 107.55], [16.45, 107.61], [16.49, 107.61], [16.49, 107.55], [16.45, 107.55]]


async def test_a_notice_for_everyone_reaches_every_account(world: World) -> None:
    first, second = await world.citizen(ward=PHU_XUAN), await world.citizen()
    notice = await world.published_notice({"everyone": True})
    assert [i["id"] for i in await world.broadcasts(first)] == [notice["id"]]
    assert [i["id"] for i in await world.broadcasts(second)] == [notice["id"]]


async def test_a_ward_notice_reaches_that_ward_only(world: World) -> None:
    inside, elsewhere, unknown = (
        await world.citizen(ward=PHU_XUAN),
        await world.citizen(ward=THUAN_AN),
        await world.citizen(),
    )
    notice = await world.published_notice({"ward_codes": [PHU_XUAN]})
    assert [i["id"] for i in await world.broadcasts(inside)] == [notice["id"]]
    assert await world.broadcasts(elsewhere) == []
    assert await world.broadcasts(unknown) == []


async def test_a_polygon_matches_accounts_by_their_home_ward_centre(world: World) -> None:
    inside, outside = await world.citizen(ward=PHU_XUAN), await world.citizen(ward=KHE_TRE)
    alert = await world.published_alert({"polygons": [AROUND_PHU_XUAN]})
    assert [i["id"] for i in await world.broadcasts(inside)] == [alert["id"]]
    assert await world.broadcasts(outside) == []


async def test_a_circle_matches_accounts_by_their_home_ward_centre(world: World) -> None:
    near, far = await world.citizen(ward=THUAN_AN), await world.citizen(ward=KHE_TRE)
    lat, lon = CENTRES[THUAN_AN]
    alert = await world.published_alert(
        {"circles": [{"latitude": lat + 0.02, "longitude": lon, "radius_km": 5}]}
    )
    assert [i["id"] for i in await world.broadcasts(near)] == [alert["id"]]
    assert await world.broadcasts(far) == []


async def test_an_opted_in_device_inside_the_area_brings_the_warning_to_an_account_living_elsewhere(
    world: World,
) -> None:
    traveller, private = await world.citizen(ward=KHE_TRE), await world.citizen(ward=KHE_TRE)
    for token, share in ((traveller, True), (private, False)):
        device = await world.post(
            "/v1/devices",
            token,
            {
                "platform": "android",
                "token": f"fcm-{token[-12:]}",
                "app_version": "1.0.0",
                "share_location": share,
            },
        )
        assert device.status_code == 201, device.text
        located = await world.service.client.put(
            f"/v1/devices/{device.json()['id']}/location",
            json={"latitude": 16.47, "longitude": 107.58},
            headers=bearer(token),
        )
        assert located.status_code == (200 if share else 409), located.text
    alert = await world.published_alert({"polygons": [AROUND_PHU_XUAN]})
    assert [i["id"] for i in await world.broadcasts(traveller)] == [alert["id"]]
    assert await world.broadcasts(private) == []


async def test_a_role_notice_reaches_holders_of_that_role_only(world: World) -> None:
    citizen = await world.citizen(kind="citizen")
    organization = await world.citizen(kind="organization")
    notice = await world.published_notice({"roles": ["organization"]})
    assert [i["id"] for i in await world.broadcasts(organization)] == [notice["id"]]
    assert await world.broadcasts(citizen) == []


async def test_a_topic_notice_reaches_followers_of_the_topic(world: World) -> None:
    follower, other = await world.citizen(), await world.citizen()
    response = await world.service.client.put(
        "/v1/preferences", json={"topics": ["traffic"]}, headers=bearer(follower)
    )
    assert response.status_code == 200, response.text
    notice = await world.published_notice({"topics": ["traffic"]}, topic="traffic")
    assert [i["id"] for i in await world.broadcasts(follower)] == [notice["id"]]
    assert await world.broadcasts(other) == []


async def test_a_notice_to_one_account_reaches_nobody_else(world: World) -> None:
    addressee, other = await world.citizen(), await world.citizen()
    account_id = world.keys_sub(addressee)
    notice = await world.published_notice({"account_ids": [account_id]})
    assert [i["id"] for i in await world.broadcasts(addressee)] == [notice["id"]]
    assert await world.broadcasts(other) == []


async def test_a_province_wide_warning_is_one_row_with_one_audience_key(world: World) -> None:
    for _ in range(5):
        await world.citizen(ward=PHU_XUAN)
    alert = await world.published_alert({"everyone": True})
    async with world.service.runtime.db.sessions() as session:
        from sqlalchemy import func, select

        from notification_service.inbox.models import NoticeState
        from notification_service.notices.models import NoticeAudience

        audiences = (
            await session.scalars(
                select(NoticeAudience.audience).where(NoticeAudience.notice_id == alert["id"])
            )
        ).all()
        states = await session.scalar(select(func.count()).select_from(NoticeState))
    assert list(audiences) == ["all"]
    assert states == 0  # nothing per account until an account reads it


def test_a_target_needs_at_least_one_audience() -> None:
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Target.model_validate({})


def test_an_open_polygon_is_refused() -> None:
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Target.model_validate({"polygons": [[[16.0, 107.0], [16.1, 107.0], [16.1, 107.1], [16.0, 107.2]]]})
