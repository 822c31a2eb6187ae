"""The conformance check on submission (connection standard v1.1, section 9; Art. 15.2)."""

from typing import Any

import httpx
from fastapi import FastAPI

from hues_shared.contracts.integration import ApplicationApproved, ConformanceChecked
from hues_shared.outbound import OutboundGuard
from hues_shared.testing.apps import RunningService
from hues_shared.testing.events import outbox_events
from integration_service.conformance.probes import check_manifest


def _failed(report: dict[str, Any]) -> set[tuple[str, str | None]]:
    return {(r["rule"], r.get("target")) for r in report["results"] if not r["passed"]}


async def test_a_conforming_partner_passes_and_is_approved(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any, open_integration: RunningService
) -> None:
    app, _ = partner
    created = await onboarding.draft(partner_manifest())
    app.state.secret = await onboarding.webhook_secret(created["id"])
    report = await onboarding.submit_and_wait_for_report(created["id"])
    assert report["passed"], report
    rules = {r["rule"] for r in report["results"]}
    assert {"manifest.schema", "url.public", "health.answers", "webhook.challenge"} <= rules
    assert app.state.received[0]["payload"]["type"] == "hues.integration.webhook.challenge"
    approved = await onboarding.decide(created["id"], "approve")
    assert approved.status_code == 200 and approved.json()["status"] == "active"
    assert approved.json()["sandbox_approved"] is True
    checked = await outbox_events(open_integration.runtime, ConformanceChecked)
    assert checked[0].passed is True


async def test_the_approval_event_names_the_application(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any, open_integration: RunningService
) -> None:
    """catalog-service names the approved partner's provider from the event (docs/catalog.md)."""
    app, _ = partner
    created = await onboarding.draft(partner_manifest())
    app.state.secret = await onboarding.webhook_secret(created["id"])
    assert (await onboarding.submit_and_wait_for_report(created["id"]))["passed"]
    assert (await onboarding.decide(created["id"], "approve")).status_code == 200
    [approved] = await outbox_events(open_integration.runtime, ApplicationApproved)
    assert (approved.application_id, approved.name) == (created["id"], "Xe buýt Huế")


async def test_loopback_urls_fail_the_check_by_default(
    integration: RunningService, people: Any, partner_manifest: Any, wait: Any
) -> None:
    """Without the test-only setting, the local receiver's 127.0.0.1 URLs are refused (SSRF rule)."""
    response = await integration.client.post(
        "/v1/applications", json=partner_manifest(), headers=people.organization()
    )
    application_id = response.json()["id"]
    await integration.client.post(f"/v1/applications/{application_id}/submit", headers=people.organization())

    async def report() -> Any:
        answer = await integration.client.get(
            f"/v1/applications/{application_id}/conformance", headers=people.organization()
        )
        return answer.json() if answer.status_code == 200 else None

    body = await wait(report)
    assert not body["passed"]
    assert _failed(body) == {("url.loopback-address", "health_url"), ("url.loopback-address", "webhook_url")}
    refused = await integration.client.post(
        f"/v1/applications/{application_id}/decisions",
        json={"decision": "approve"},
        headers=people.reviewer(),
    )
    assert refused.status_code == 409


async def test_a_failing_health_url_fails_the_check(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    app, _ = partner
    app.state.health_status = 503
    created = await onboarding.draft(partner_manifest())
    app.state.secret = await onboarding.webhook_secret(created["id"])
    report = await onboarding.submit_and_wait_for_report(created["id"])
    assert _failed(report) == {("health.answers", "health_url")}


async def test_a_health_url_redirecting_to_a_private_address_fails(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    app, url = partner
    created = await onboarding.draft(partner_manifest(health_url=f"{url}/to?url=http://10.0.0.8/health"))
    app.state.secret = await onboarding.webhook_secret(created["id"])
    report = await onboarding.submit_and_wait_for_report(created["id"])
    assert _failed(report) == {("url.private-address", "health_url")}


async def test_a_webhook_receiver_that_does_not_echo_the_challenge_fails(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    app, _ = partner
    app.state.echo = False
    created = await onboarding.draft(partner_manifest())
    app.state.secret = await onboarding.webhook_secret(created["id"])
    report = await onboarding.submit_and_wait_for_report(created["id"])
    assert _failed(report) == {("webhook.challenge", "webhook_url")}


async def test_a_receiver_holding_another_secret_fails_the_challenge(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    app, _ = partner
    created = await onboarding.draft(partner_manifest())
    await onboarding.webhook_secret(created["id"])
    app.state.secret = "whsec_" + "A" * 43  # not the application's secret: signature check fails there
    report = await onboarding.submit_and_wait_for_report(created["id"])
    assert _failed(report) == {("webhook.challenge", "webhook_url")}


async def test_submitting_without_a_webhook_secret_fails_the_challenge(
    onboarding: Any, partner_manifest: Any
) -> None:
    created = await onboarding.draft(partner_manifest())
    report = await onboarding.submit_and_wait_for_report(created["id"])
    assert _failed(report) == {("webhook.challenge", "webhook_url")}


async def test_a_partner_api_with_a_valid_openapi_document_passes(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    app, url = partner
    created = await onboarding.draft(
        partner_manifest(kind="partner_api", openapi_url=f"{url}/api/openapi.json")
    )
    app.state.secret = await onboarding.webhook_secret(created["id"])
    report = await onboarding.submit_and_wait_for_report(created["id"])
    assert report["passed"], [r for r in report["results"] if not r["passed"]]
    assert {"openapi.valid", "openapi.standard"} <= {r["rule"] for r in report["results"]}


async def test_an_invalid_openapi_document_fails(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    app, url = partner
    created = await onboarding.draft(partner_manifest(kind="partner_api", openapi_url=f"{url}/health"))
    app.state.secret = await onboarding.webhook_secret(created["id"])
    report = await onboarding.submit_and_wait_for_report(created["id"])
    assert _failed(report) == {("openapi.valid", "openapi_url")}


async def test_openapi_without_problem_responses_breaks_the_standard(partner: tuple[FastAPI, str]) -> None:
    from integration_service.conformance.probes import standard_openapi_problems

    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "http://insecure.example.vn"}],
        "paths": {"/buses": {"get": {"responses": {"200": {"description": "ok"}}}}},
    }
    problems = standard_openapi_problems(document)
    assert any("not https" in p for p in problems)
    assert any("no security scheme" in p for p in problems)
    assert any("not versioned" in p for p in problems)
    assert any("problem+json" in p for p in problems)


async def test_http_urls_fail_where_https_is_required(manifest: Any) -> None:
    guard = OutboundGuard(require_https=True)
    async with httpx.AsyncClient() as client:
        results = await check_manifest(
            manifest(
                health_url="http://partner.example.vn/health", webhook_url="http://partner.example.vn/w"
            ),
            application_id="a",
            guard=guard,
            client=client,
            webhook_secret=None,
        )
    assert {r.rule for r in results if not r.passed} == {"url.https-required"}
