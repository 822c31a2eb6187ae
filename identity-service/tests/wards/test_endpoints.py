from hues_shared.testing.apps import RunningService


async def test_hue_has_40_wards_and_communes(identity: RunningService) -> None:
    response = await identity.client.get("/v1/wards")
    assert response.status_code == 200
    wards = response.json()
    assert len(wards) == 40
    names = {w["name"] for w in wards}
    assert "Phường Thuận An" in names
