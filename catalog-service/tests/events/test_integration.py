"""The integration hook: handlers ready for integration-service's events, driven here with stand-ins."""

from dataclasses import dataclass

from catalog_service.events import integration
from catalog_service.testing import CatalogApi
from hues_shared.events.consumer import EventContext
from hues_shared.events.envelope import EventEnvelope
from hues_shared.testing.apps import RunningService


@dataclass
class Approval:
    integration_id: str = "int-42"
    partner_name: str = "Công ty Xe khách Hương Giang"
    partner_kind: str = "enterprise"
    owner_account_id: str | None = "org-42"
    unit_id: str | None = None
    reason: str = "integration suspended by the DIC"


async def _handle(catalog: RunningService, handler, event: Approval) -> None:  # type: ignore[no-untyped-def]
    async with catalog.runtime.db.unit_of_work() as session:
        envelope = EventEnvelope(
            type="stand-in", source="/hues/integration-service", topic="t", key="k", data={}
        )
        await handler(event, EventContext(session=session, envelope=envelope, tables=catalog.runtime.tables))


async def test_an_approved_integration_appears_and_follows_its_status(
    catalog: RunningService, api: CatalogApi
) -> None:
    await _handle(catalog, integration.provider_from_approval, Approval())
    listed = (await api.client.get("/v1/providers")).json()["items"]
    assert [(p["name"], p["verified"], p["integration_id"]) for p in listed] == [
        ("Công ty Xe khách Hương Giang", True, "int-42")
    ]
    await _handle(catalog, integration.provider_suspended_with_integration, Approval())
    assert (await api.client.get("/v1/providers")).json()["items"] == []
    await _handle(catalog, integration.provider_reinstated_with_integration, Approval())
    assert len((await api.client.get("/v1/providers")).json()["items"]) == 1


async def test_the_organization_that_applied_manages_the_provider(
    catalog: RunningService, api: CatalogApi
) -> None:
    await _handle(catalog, integration.provider_from_approval, Approval())
    provider = (await api.client.get("/v1/providers")).json()["items"][0]
    api.managers[provider["id"]] = api.personas.organization("org-42")
    offering = await api.publish(provider["id"], title="Xe khách Huế - Đà Nẵng", category_code="transport")
    assert await api.search(q="xe khach hue da nang") == [offering["title"]]
