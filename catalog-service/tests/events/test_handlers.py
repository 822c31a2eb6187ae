"""Integration's application events drive catalog's providers (Art. 15.2), fed through catalog's own consumer
(inbox and all) with the real contract classes of hues_shared.contracts.integration."""

from datetime import UTC, datetime
from typing import Any

from catalog_service.testing import CatalogApi
from hues_shared.contracts.catalog import ProviderPublished
from hues_shared.contracts.integration import (
    ApplicationApproved,
    ApplicationReinstated,
    ApplicationRetired,
    ApplicationSuspended,
    ApplicationTransition,
)
from hues_shared.events.bus import Delivery
from hues_shared.events.envelope import EventEnvelope
from hues_shared.events.outbox import envelope_for
from hues_shared.testing.apps import RunningService
from hues_shared.testing.events import outbox_events

ORGANIZATION = "0b7c6a52-1a2b-4c3d-8e9f-000000000042"


def event(
    contract: type[ApplicationTransition], application_id: str = "app-42", **fields: Any
) -> EventEnvelope:
    status = {ApplicationApproved: "active", ApplicationReinstated: "active"}.get(contract, "suspended")
    values: dict[str, Any] = {
        "application_id": application_id,
        "owner_kind": "organization",
        "owner_id": ORGANIZATION,
        "actor_id": "dic-reviewer",
        "status": status,
        "at": datetime.now(UTC),
        **fields,
    }
    if contract is ApplicationApproved:
        values = {"environment": "sandbox", "name": "Xe khách Hương Giang", **values}
    return envelope_for(contract(**values), source="/hues/integration-service")


async def deliver(catalog: RunningService, *envelopes: EventEnvelope) -> None:
    assert catalog.runtime.consumer is not None
    await catalog.runtime.consumer.process([Delivery(e, e.topic, 0, i) for i, e in enumerate(envelopes)])


async def listed(api: CatalogApi) -> list[tuple[str, bool, str | None]]:
    items = (await api.client.get("/v1/providers")).json()["items"]
    return [(p["name"], p["verified"], p["integration_id"]) for p in items]


async def test_an_approved_application_makes_its_organization_a_verified_provider(
    catalog: RunningService, api: CatalogApi
) -> None:
    await deliver(catalog, event(ApplicationApproved))
    assert await listed(api) == [("Xe khách Hương Giang", True, "app-42")]


async def test_a_redelivered_or_repeated_approval_creates_one_provider(
    catalog: RunningService, api: CatalogApi
) -> None:
    approval = event(ApplicationApproved)
    await deliver(catalog, approval, approval)  # the same event id twice: the inbox absorbs it
    await deliver(catalog, event(ApplicationApproved, environment="production"))  # activation: a new id
    assert await listed(api) == [("Xe khách Hương Giang", True, "app-42")]
    assert len(await outbox_events(catalog.runtime, ProviderPublished)) == 1


async def test_a_second_application_of_the_organization_updates_its_provider(
    catalog: RunningService, api: CatalogApi
) -> None:
    await api.create_provider("Công ty Xe khách Hương Giang", "enterprise", owner_account_id=ORGANIZATION)
    await deliver(catalog, event(ApplicationApproved, "app-1"), event(ApplicationApproved, "app-2"))
    assert await listed(api) == [("Công ty Xe khách Hương Giang", True, "app-1")]


async def test_an_agency_application_verifies_the_units_provider(
    catalog: RunningService, api: CatalogApi
) -> None:
    provider, _ = await api.create_provider("Sở Du lịch Thừa Thiên Huế")
    await deliver(catalog, event(ApplicationApproved, owner_kind="unit", owner_id=provider["unit_id"]))
    assert await listed(api) == [("Sở Du lịch Thừa Thiên Huế", True, "app-42")]


async def test_suspension_hides_the_provider_and_reinstatement_restores_it(
    catalog: RunningService, api: CatalogApi
) -> None:
    await deliver(catalog, event(ApplicationApproved))
    provider = (await api.client.get("/v1/providers")).json()["items"][0]
    api.managers[provider["id"]] = api.personas.organization(ORGANIZATION)
    offering = await api.publish(provider["id"], title="Xe khách Huế - Đà Nẵng", category_code="transport")
    await deliver(catalog, event(ApplicationSuspended, comment="abuse report"))
    assert await listed(api) == [] and await api.search(q="xe khach hue da nang") == []
    assert (await api.client.get(f"/v1/providers/{provider['id']}")).status_code == 404
    await deliver(catalog, event(ApplicationReinstated))
    assert await listed(api) == [("Xe khách Hương Giang", True, "app-42")]
    assert await api.search(q="xe khach hue da nang") == [offering["title"]]


async def test_a_retired_application_retires_its_provider_for_good(
    catalog: RunningService, api: CatalogApi
) -> None:
    await deliver(catalog, event(ApplicationApproved), event(ApplicationRetired, status="retired"))
    await deliver(catalog, event(ApplicationReinstated))  # out of order or stray: retired stays retired
    assert await listed(api) == []
    provider_id = (await outbox_events(catalog.runtime, ProviderPublished))[0].provider_id
    reinstate = await api.client.delete(
        f"/v1/providers/{provider_id}/suspension", headers=api.personas.dic_admin()
    )
    assert reinstate.status_code == 409 and reinstate.json()["type"].endswith("/provider-retired")


async def test_a_new_application_brings_back_a_retired_provider(
    catalog: RunningService, api: CatalogApi
) -> None:
    await deliver(catalog, event(ApplicationApproved), event(ApplicationRetired, status="retired"))
    await deliver(catalog, event(ApplicationApproved, "app-43"))
    assert await listed(api) == [("Xe khách Hương Giang", True, "app-43")]


async def test_an_approval_does_not_lift_a_suspension_by_the_dic(
    catalog: RunningService, api: CatalogApi
) -> None:
    provider, _ = await api.create_provider("Sở Du lịch Thừa Thiên Huế")
    url = f"/v1/providers/{provider['id']}/suspension"
    suspended = await api.client.post(url, json={"reason": "hồ sơ sai"}, headers=api.personas.dic_admin())
    assert suspended.status_code == 200, suspended.text
    await deliver(catalog, event(ApplicationApproved, owner_kind="unit", owner_id=provider["unit_id"]))
    assert await listed(api) == []
