"""Device registrations belong to their account."""

from __future__ import annotations

from hues_shared.testing.tokens import bearer
from notification_service.testing import World

DEVICE = {"platform": "ios", "token": "tok-device-1", "app_version": "1.0", "share_location": True}


async def test_registering_the_same_token_again_updates_one_device(world: World) -> None:
    citizen = await world.citizen()
    first = (await world.post("/v1/devices", citizen, DEVICE)).json()
    second = (await world.post("/v1/devices", citizen, {**DEVICE, "app_version": "1.1"})).json()
    assert first["id"] == second["id"] and second["app_version"] == "1.1"
    listed = (await world.service.client.get("/v1/devices", headers=bearer(citizen))).json()["items"]
    assert [d["id"] for d in listed] == [first["id"]]


async def test_nobody_moves_or_deletes_another_accounts_device(world: World) -> None:
    owner, intruder = await world.citizen(), await world.citizen()
    device = (await world.post("/v1/devices", owner, DEVICE)).json()
    located = await world.service.client.put(
        f"/v1/devices/{device['id']}/location",
        json={"latitude": 16.4, "longitude": 107.5},
        headers=bearer(intruder),
    )
    assert located.status_code == 404
    deleted = await world.service.client.delete(f"/v1/devices/{device['id']}", headers=bearer(intruder))
    assert deleted.status_code == 404
    assert (await world.service.client.get("/v1/devices", headers=bearer(intruder))).json()["items"] == []
    assert (
        await world.service.client.delete(f"/v1/devices/{device['id']}", headers=bearer(owner))
    ).status_code == 204


async def test_a_device_needs_a_token(world: World) -> None:
    assert (await world.service.client.post("/v1/devices", json=DEVICE)).status_code == 401


async def test_an_unknown_platform_is_refused(world: World) -> None:
    citizen = await world.citizen()
    assert (await world.post("/v1/devices", citizen, {**DEVICE, "platform": "symbian"})).status_code == 422
