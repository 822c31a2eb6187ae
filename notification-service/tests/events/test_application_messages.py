"""Integration's application approved / suspended events message the owning organization account
(Art. 15.2), once per event id, in the account's language; unit-owned applications message no one."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from hues_shared.contracts.integration import ApplicationApproved, ApplicationSuspended, ApplicationTransition
from hues_shared.events.outbox import envelope_for
from notification_service.testing import World


def _approved(owner_id: str, *, owner_kind: str = "organization", **fields: Any) -> ApplicationApproved:
    values: dict[str, Any] = {"environment": "sandbox", "comment": None, **fields}
    return ApplicationApproved(
        application_id="app-42",
        owner_kind=owner_kind,
        owner_id=owner_id,
        actor_id=str(uuid.uuid4()),
        status="active",
        at=datetime.now(UTC),
        **values,
    )


def _suspended(owner_id: str, comment: str | None = None) -> ApplicationSuspended:
    return ApplicationSuspended(
        application_id="app-42",
        owner_kind="organization",
        owner_id=owner_id,
        actor_id=str(uuid.uuid4()),
        status="suspended",
        comment=comment,
        at=datetime.now(UTC),
    )


async def _deliver(world: World, *events: ApplicationTransition) -> None:
    envelopes = [envelope_for(e, source="/hues/integration-service") for e in events]
    await world.service.runtime.bus.publish(envelopes)


async def _wait_for_type(world: World, token: str, kind: str) -> dict[str, Any]:
    items = await world.wait_for(token, lambda items: any(i["type"] == kind for i in items))
    return next(i for i in items if i["type"] == kind)


async def test_approval_tells_the_organization_in_vietnamese(world: World) -> None:
    organization = await world.citizen(kind="organization", language="vi")
    await _deliver(world, _approved(world.keys_sub(organization), environment="production"))
    message = await _wait_for_type(world, organization, "application-approved")
    assert message["title"] == "Hồ sơ tích hợp được phê duyệt"
    assert "app-42" in message["body"] and "chính thức (production)" in message["body"]


async def test_suspension_tells_the_organization_in_english_with_the_dic_comment(world: World) -> None:
    organization = await world.citizen(kind="organization", language="en")
    await _deliver(world, _suspended(world.keys_sub(organization), comment="Excessive error rate"))
    message = await _wait_for_type(world, organization, "application-suspended")
    assert message["title"] == "Integration application suspended"
    assert message["body"].endswith("Comment: Excessive error rate")


async def test_the_same_approval_delivered_twice_gives_one_message(world: World) -> None:
    organization = await world.citizen(kind="organization")
    envelope = envelope_for(_approved(world.keys_sub(organization)), source="/hues/integration-service")
    await world.service.runtime.bus.publish([envelope, envelope])
    await world.service.runtime.bus.publish([envelope])
    await _deliver(world, _suspended(world.keys_sub(organization)))  # consumed after the redeliveries
    await _wait_for_type(world, organization, "application-suspended")
    items = await world.inbox(organization, "?kind=message")
    assert [i["type"] for i in items].count("application-approved") == 1


async def test_the_same_suspension_delivered_twice_gives_one_message(world: World) -> None:
    organization = await world.citizen(kind="organization")
    envelope = envelope_for(_suspended(world.keys_sub(organization)), source="/hues/integration-service")
    await world.service.runtime.bus.publish([envelope, envelope])
    await _deliver(world, _approved(world.keys_sub(organization)))
    await _wait_for_type(world, organization, "application-approved")
    items = await world.inbox(organization, "?kind=message")
    assert [i["type"] for i in items].count("application-suspended") == 1


async def test_a_unit_owned_application_messages_no_account(world: World) -> None:
    organization = await world.citizen(kind="organization")
    unit_owned = _approved(world.keys_sub(organization), owner_kind="unit")  # id collision on purpose
    await _deliver(world, unit_owned, _suspended(world.keys_sub(organization)))
    await _wait_for_type(world, organization, "application-suspended")
    items = await world.inbox(organization, "?kind=message")
    assert "application-approved" not in [i["type"] for i in items]
