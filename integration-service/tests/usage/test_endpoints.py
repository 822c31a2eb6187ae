"""Daily usage per application from the gateway's batches, for the owner and the DIC (Art. 15.3)."""

from typing import Any

from fastapi import FastAPI

from hues_shared.contracts.gateway import PartnerUsageRecorded, RouteUsage
from hues_shared.events.outbox import envelope_for
from hues_shared.types import utcnow


def _batch(application_id: str, requests: int, instance: str = "gw-1") -> PartnerUsageRecorded:
    now = utcnow()
    return PartnerUsageRecorded(
        batch_id=f"b-{instance}-{requests}",
        gateway_instance=instance,
        window_start=now,
        window_end=now,
        counts=[
            RouteUsage(application_id=application_id, route="integration.partner-api", requests=requests)
        ],
    )


async def _usage_after(
    onboarding: Any, application_id: str, expected: int, wait: Any
) -> list[dict[str, Any]]:
    async def rows() -> list[dict[str, Any]] | None:
        response = await onboarding.service.client.get(
            f"/v1/applications/{application_id}/usage", headers=onboarding.people.organization()
        )
        body = response.json()
        return body if body and body[0]["requests"] == expected else None

    return list(await wait(rows))


async def test_batches_of_two_gateway_replicas_add_up_per_day(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any, wait: Any
) -> None:
    application_id = await onboarding.approved(partner_manifest(), partner[0])
    envelopes = [
        envelope_for(_batch(application_id, 3, "gw-1"), source="/hues/gateway"),
        envelope_for(_batch(application_id, 4, "gw-2"), source="/hues/gateway"),
    ]
    await onboarding.service.runtime.bus.publish(envelopes)
    [row] = await _usage_after(onboarding, application_id, 7, wait)
    assert row["route"] == "integration.partner-api" and row["day"] == utcnow().date().isoformat()


async def test_a_redelivered_batch_is_counted_once(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any, wait: Any
) -> None:
    application_id = await onboarding.approved(partner_manifest(), partner[0])
    envelope = envelope_for(_batch(application_id, 5), source="/hues/gateway")
    await onboarding.service.runtime.bus.publish([envelope, envelope])
    await onboarding.service.runtime.bus.publish(
        [envelope_for(_batch(application_id, 1, "gw-9"), source="/g")]
    )
    [row] = await _usage_after(onboarding, application_id, 6, wait)
    assert row["requests"] == 6


async def test_usage_exports_as_csv_for_the_owner_and_the_dic(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any, wait: Any
) -> None:
    application_id = await onboarding.approved(partner_manifest(), partner[0])
    await onboarding.service.runtime.bus.publish(
        [envelope_for(_batch(application_id, 2), source="/hues/gateway")]
    )
    await _usage_after(onboarding, application_id, 2, wait)
    mine = await onboarding.service.client.get(
        f"/v1/applications/{application_id}/usage?format=csv", headers=onboarding.people.organization()
    )
    assert mine.headers["content-type"].startswith("text/csv")
    assert mine.text.splitlines()[0] == "day,application_id,route,requests"
    everything = await onboarding.service.client.get(
        "/v1/usage?format=csv", headers=onboarding.people.reviewer()
    )
    assert f"{application_id},integration.partner-api,2" in everything.text


async def test_another_organization_cannot_see_the_usage(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    application_id = await onboarding.approved(partner_manifest(), partner[0])
    other = await onboarding.service.client.get(
        f"/v1/applications/{application_id}/usage", headers=onboarding.people.organization("org-b")
    )
    assert other.status_code == 404
    platform = await onboarding.service.client.get("/v1/usage", headers=onboarding.people.organization())
    assert platform.status_code == 403


async def test_a_period_longer_than_a_year_is_refused(integration: Any, people: Any) -> None:
    response = await integration.client.get(
        "/v1/usage?since=2024-01-01&until=2026-01-01", headers=people.reviewer()
    )
    assert response.status_code == 400 and response.json()["type"].endswith("/invalid-period")
