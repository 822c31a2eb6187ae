"""The unit projection: feedback-service is the first consumer of identity's unit events."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from feedback_service.testing import PHU_XUAN, FeedbackDriver
from feedback_service.units.models import Unit
from hues_shared.contracts.identity import UnitCreated, UnitUpdated
from hues_shared.events.outbox import envelope_for


async def _unit(api: FeedbackDriver, unit_id: str) -> Unit | None:
    async with api.service.runtime.db.sessions() as session:
        return await session.get(Unit, unit_id)


async def _publish(api: FeedbackDriver, *events: UnitCreated | UnitUpdated) -> None:
    await api.service.runtime.bus.publish([envelope_for(e, source="/hues/identity-service") for e in events])


async def test_unit_created_event_adds_the_unit_with_its_ward(api: FeedbackDriver) -> None:
    unit_id = await api.add_unit(ward_code=PHU_XUAN, name="UBND phường Phú Xuân")
    unit = await _unit(api, unit_id)
    assert unit is not None and unit.ward_code == PHU_XUAN and unit.name == "UBND phường Phú Xuân"


async def test_unit_updated_event_renames_and_deactivates(api: FeedbackDriver) -> None:
    unit_id = await api.add_unit()
    later = datetime.now(UTC) + timedelta(seconds=1)
    await _publish(
        api,
        UnitUpdated(
            unit_id=unit_id, code="U-NEW", name="Renamed", kind="agency", active=False, updated_at=later
        ),
    )
    unit = None
    for _ in range(200):
        unit = await _unit(api, unit_id)
        if unit is not None and unit.name == "Renamed":
            break
        await asyncio.sleep(0.02)
    assert unit is not None and unit.name == "Renamed" and unit.active is False
    assert unit.ward_code == PHU_XUAN  # UnitUpdated carries no ward; the created one stays


async def test_an_older_update_arriving_late_is_ignored(api: FeedbackDriver) -> None:
    unit_id, sentinel_id = str(uuid.uuid4()), str(uuid.uuid4())
    now = datetime.now(UTC)
    await _publish(
        api,
        UnitCreated(unit_id=unit_id, code="C", name="Created", kind="agency", created_at=now),
        UnitUpdated(unit_id=unit_id, code="C", name="Newer", kind="agency", active=True, updated_at=now),
        UnitUpdated(
            unit_id=unit_id,
            code="C",
            name="Older",
            kind="agency",
            active=True,
            updated_at=now - timedelta(hours=1),
        ),
        UnitCreated(unit_id=sentinel_id, code="S", name="Sentinel", kind="agency", created_at=now),
    )
    await api.wait_for_unit(sentinel_id)  # one consumer, in order: everything before it was handled
    unit = await _unit(api, unit_id)
    assert unit is not None and unit.name == "Newer"
