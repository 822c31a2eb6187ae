"""Webhooks per Standard Webhooks: scoped subscriptions, signed deliveries from the database outbox,
retries with backoff, logged attempts, redelivery, auto-disable with a notice, no stalls (s. 8)."""

from typing import Any

from fastapi import FastAPI

from hues_shared.contracts.integration import WebhookSubscriptionDisabled
from hues_shared.testing.events import outbox_events
from integration_service.config import IntegrationSettings

SUSPENDED = "hues.integration.application.suspended"
REINSTATED = "hues.integration.application.reinstated"


def test_the_default_schedule_retries_for_at_least_24_hours() -> None:
    assert sum(IntegrationSettings().webhook_retry_schedule_seconds) >= 24 * 3600


async def test_event_types_outside_the_scopes_are_refused(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    app, url = partner
    application_id = await onboarding.approved(
        partner_manifest(
            requested_scopes=["partner.connection.check"], kind="mini_app", mini_app_url=f"{url}/health"
        ),
        app,
    )
    response = await onboarding.service.client.post(
        f"/v1/applications/{application_id}/webhook-subscriptions",
        json={"url": f"{url}/webhooks", "event_types": [SUSPENDED]},
        headers=onboarding.people.organization(),
    )
    assert response.status_code == 422 and response.json()["type"].endswith("/event-type-not-allowed")


async def test_a_subscription_to_a_private_address_is_refused(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    application_id = await onboarding.approved(partner_manifest(), partner[0])
    response = await onboarding.service.client.post(
        f"/v1/applications/{application_id}/webhook-subscriptions",
        json={"url": "http://169.254.169.254/latest/meta-data", "event_types": [SUSPENDED]},
        headers=onboarding.people.organization(),
    )
    assert response.status_code == 422 and response.json()["type"].endswith("/url-metadata-address")


async def test_an_event_is_delivered_signed_to_the_receiver(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any, wait: Any
) -> None:
    app, url = partner
    application_id = await onboarding.approved(partner_manifest(), app)
    subscription_id = await onboarding.subscribe(application_id, f"{url}/webhooks", SUSPENDED)
    await onboarding.decide(application_id, "suspend", "maintenance window abuse")

    async def delivered() -> list[dict[str, Any]]:
        return [d for d in await onboarding.deliveries(subscription_id) if d["status"] == "delivered"]

    [delivery] = await wait(delivered)
    received = [r for r in app.state.received if r["payload"]["type"] == SUSPENDED]
    assert len(received) == 1  # the receiver verified the signature with standardwebhooks
    assert received[0]["headers"]["webhook-id"] == delivery["id"]
    assert received[0]["payload"]["data"]["application_id"] == application_id
    assert delivery["log"][0]["status_code"] == 200 and delivery["log"][0]["duration_ms"] >= 0


async def test_a_failed_delivery_is_retried_until_it_succeeds(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any, wait: Any
) -> None:
    app, url = partner
    application_id = await onboarding.approved(partner_manifest(), app)
    subscription_id = await onboarding.subscribe(application_id, f"{url}/webhooks", SUSPENDED)
    app.state.webhook_status = 503
    await onboarding.decide(application_id, "suspend", "check")

    async def failed_once() -> bool:
        return any(d["attempts"] >= 1 for d in await onboarding.deliveries(subscription_id))

    await wait(failed_once)
    app.state.webhook_status = 200

    async def delivered() -> list[dict[str, Any]]:
        return [d for d in await onboarding.deliveries(subscription_id) if d["status"] == "delivered"]

    [delivery] = await wait(delivered)
    codes = [a["status_code"] for a in delivery["log"]]
    assert codes[0] == 503 and codes[-1] == 200


async def test_persistent_failure_disables_the_subscription_with_a_notice(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any, wait: Any
) -> None:
    app, url = partner
    application_id = await onboarding.approved(partner_manifest(), app)
    subscription_id = await onboarding.subscribe(application_id, f"{url}/webhooks", SUSPENDED)
    app.state.webhook_status = 500
    await onboarding.decide(application_id, "suspend", "check")

    async def given_up() -> list[dict[str, Any]]:
        return [d for d in await onboarding.deliveries(subscription_id) if d["status"] == "failed"]

    [delivery] = await wait(given_up)
    assert [a["status_code"] for a in delivery["log"]] == [
        500,
        500,
        500,
    ]  # first try + the 2-step test schedule
    listed = await onboarding.service.client.get(
        f"/v1/applications/{application_id}/webhook-subscriptions", headers=onboarding.people.organization()
    )
    assert listed.json()[0]["status"] == "disabled"
    [notice] = await outbox_events(onboarding.service.runtime, WebhookSubscriptionDisabled)
    assert notice.subscription_id == subscription_id and notice.owner_id == "org-a"


async def test_a_delivery_is_redelivered_by_hand_with_the_same_webhook_id(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any, wait: Any
) -> None:
    app, url = partner
    application_id = await onboarding.approved(partner_manifest(), app)
    subscription_id = await onboarding.subscribe(application_id, f"{url}/webhooks", SUSPENDED)
    await onboarding.decide(application_id, "suspend", "check")

    async def delivered() -> list[dict[str, Any]]:
        return [d for d in await onboarding.deliveries(subscription_id) if d["status"] == "delivered"]

    [delivery] = await wait(delivered)
    again = await onboarding.service.client.post(
        f"/v1/webhook-deliveries/{delivery['id']}/redeliver", headers=onboarding.people.organization()
    )
    assert again.status_code == 200

    async def twice() -> bool:
        return len([r for r in app.state.received if r["headers"]["webhook-id"] == delivery["id"]]) == 2

    assert await wait(twice)


async def test_a_slow_receiver_does_not_stall_another(
    onboarding: Any,
    partner: tuple[FastAPI, str],
    another_partner: tuple[FastAPI, str],
    partner_manifest: Any,
    manifest: Any,
    wait: Any,
) -> None:
    slow_app, slow_url = partner
    slow_id = await onboarding.approved(partner_manifest(), slow_app)
    slow_sub = await onboarding.subscribe(slow_id, f"{slow_url}/webhooks", SUSPENDED)
    fast_app, fast_url = another_partner
    fast_id = await onboarding.approved(
        manifest(health_url=f"{fast_url}/health", webhook_url=f"{fast_url}/webhooks"), fast_app, owner="org-b"
    )
    fast_sub = await onboarding.subscribe(fast_id, f"{fast_url}/webhooks", SUSPENDED, owner="org-b")
    slow_app.state.delay = 3.0  # six times the 0.5 s timeout
    await onboarding.decide(slow_id, "suspend", "check")
    await onboarding.decide(fast_id, "suspend", "check")

    async def fast_delivered() -> bool:
        deliveries = await onboarding.deliveries(fast_sub, owner="org-b")
        return any(d["status"] == "delivered" for d in deliveries)

    assert await wait(fast_delivered, within=5.0)

    async def slow_timed_out() -> list[dict[str, Any]]:
        return [d for d in await onboarding.deliveries(slow_sub) if d["attempts"] >= 1]

    [slow] = await wait(slow_timed_out)
    assert slow["log"][0]["status_code"] is None and slow["log"][0]["duration_ms"] < 2000


async def test_another_organization_cannot_read_the_delivery_log(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    app, url = partner
    application_id = await onboarding.approved(partner_manifest(), app)
    subscription_id = await onboarding.subscribe(application_id, f"{url}/webhooks", SUSPENDED)
    response = await onboarding.service.client.get(
        f"/v1/webhook-subscriptions/{subscription_id}/deliveries",
        headers=onboarding.people.organization("org-b"),
    )
    assert response.status_code == 404


async def test_subscribing_twice_with_one_idempotency_key_subscribes_once(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    app, url = partner
    application_id = await onboarding.approved(partner_manifest(), app)
    headers = {**onboarding.people.organization(), "Idempotency-Key": "sub-1"}
    path = f"/v1/applications/{application_id}/webhook-subscriptions"
    body = {"url": f"{url}/webhooks", "event_types": [SUSPENDED]}
    first = await onboarding.service.client.post(path, json=body, headers=headers)
    second = await onboarding.service.client.post(path, json=body, headers=headers)
    assert first.json()["id"] == second.json()["id"]
    listed = await onboarding.service.client.get(path, headers=onboarding.people.organization())
    assert len(listed.json()) == 1


async def test_the_delivery_log_pages_with_a_cursor(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any, wait: Any
) -> None:
    app, url = partner
    application_id = await onboarding.approved(partner_manifest(), app)
    subscription_id = await onboarding.subscribe(application_id, f"{url}/webhooks", SUSPENDED, REINSTATED)
    await onboarding.decide(application_id, "suspend", "one")
    await onboarding.decide(application_id, "reinstate")
    await onboarding.decide(application_id, "suspend", "two")

    async def three() -> bool:
        return len(await onboarding.deliveries(subscription_id)) == 3

    await wait(three)
    path = f"/v1/webhook-subscriptions/{subscription_id}/deliveries"
    first = (
        await onboarding.service.client.get(f"{path}?limit=2", headers=onboarding.people.organization())
    ).json()
    rest = (
        await onboarding.service.client.get(
            f"{path}?limit=2&cursor={first['next_cursor']}", headers=onboarding.people.organization()
        )
    ).json()
    ids = [d["id"] for d in first["items"] + rest["items"]]
    assert len(set(ids)) == 3 and rest["next_cursor"] is None
