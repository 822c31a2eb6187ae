"""Units are created and changed by the DIC only, with events (Art. 13.2)."""

from hues_shared.contracts.identity import UnitCreated, UnitUpdated
from hues_shared.testing.events import outbox_events
from hues_shared.testing.tokens import bearer
from identity_service.testing import IdentityDriver


async def test_dic_creates_and_updates_units_with_events(api: IdentityDriver) -> None:
    unit_id = await api.create_unit("SO-XD")
    response = await api.client.patch(
        f"/v1/units/{unit_id}", json={"active": False}, headers=api.dic_admin_headers()
    )
    assert response.status_code == 200 and response.json()["active"] is False
    assert [e.unit_id for e in await outbox_events(api.service.runtime, UnitCreated)] == [unit_id]
    assert (await outbox_events(api.service.runtime, UnitUpdated))[0].active is False


async def test_only_unit_managers_create_units(api: IdentityDriver) -> None:
    response = await api.client.post(
        "/v1/units", json={"code": "X1", "name": "X", "kind": "department"}, headers=bearer(api.keys.token())
    )
    assert response.status_code == 403


async def test_unit_codes_are_unique(api: IdentityDriver) -> None:
    await api.create_unit("SO-DUP")
    response = await api.client.post(
        "/v1/units",
        json={"code": "SO-DUP", "name": "X", "kind": "department"},
        headers=api.dic_admin_headers(),
    )
    assert response.status_code == 409
