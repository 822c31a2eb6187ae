"""Applications and their review lifecycle (Art. 10, 11, 13.1, 15.2)."""

from typing import Any

from hues_shared.contracts.integration import (
    ApplicationChangesRequested,
    ApplicationCreated,
    ApplicationRejected,
    ApplicationSubmitted,
)
from hues_shared.testing.apps import RunningService
from hues_shared.testing.events import outbox_events


async def _create(
    integration: RunningService, headers: dict[str, str], document: dict[str, Any]
) -> dict[str, Any]:
    response = await integration.client.post("/v1/applications", json=document, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_organization_drafts_an_application_and_an_event_records_it(
    integration: RunningService, people: Any, manifest: Any
) -> None:
    created = await _create(integration, people.organization(), manifest())
    assert created["status"] == "draft"
    assert created["owner_kind"] == "organization" and created["owner_id"] == "org-a"
    events = await outbox_events(integration.runtime, ApplicationCreated)
    assert [e.application_id for e in events] == [created["id"]]


async def test_agency_admin_drafts_for_its_unit(
    integration: RunningService, people: Any, manifest: Any
) -> None:
    created = await _create(integration, people.agency_admin(unit="unit-7"), manifest())
    assert (created["owner_kind"], created["owner_id"]) == ("unit", "unit-7")


async def test_citizen_cannot_apply(integration: RunningService, people: Any, manifest: Any) -> None:
    response = await integration.client.post("/v1/applications", json=manifest(), headers=people.citizen())
    assert response.status_code == 403
    assert response.json()["status"] == 403


async def test_manifest_with_unknown_scope_or_field_is_refused(
    integration: RunningService, people: Any, manifest: Any
) -> None:
    bad_scope = await integration.client.post(
        "/v1/applications", json=manifest(requested_scopes=["everything"]), headers=people.organization()
    )
    extra = await integration.client.post(
        "/v1/applications", json=manifest(backdoor=True), headers=people.organization()
    )
    assert bad_scope.status_code == 422 and extra.status_code == 422


async def test_partner_api_needs_an_openapi_url(
    integration: RunningService, people: Any, manifest: Any
) -> None:
    response = await integration.client.post(
        "/v1/applications", json=manifest(kind="partner_api"), headers=people.organization()
    )
    assert response.status_code == 422


async def test_other_organization_gets_404_on_every_route(
    integration: RunningService, people: Any, manifest: Any
) -> None:
    """Art. 13.1: another organization's application does not exist for the caller."""
    created = await _create(integration, people.organization("org-a"), manifest())
    other = people.organization("org-b")
    base = f"/v1/applications/{created['id']}"
    assert (await integration.client.get(base, headers=other)).status_code == 404
    assert (await integration.client.get(f"{base}/history", headers=other)).status_code == 404
    assert (await integration.client.post(f"{base}/submit", headers=other)).status_code == 404
    assert (
        await integration.client.put(f"{base}/manifest", json=manifest(), headers=other)
    ).status_code == 404
    assert (await integration.client.post(f"{base}/retire", json={}, headers=other)).status_code == 404
    listed = await integration.client.get("/v1/applications", headers=other)
    assert listed.json()["items"] == []


async def test_admin_of_another_unit_gets_404(
    integration: RunningService, people: Any, manifest: Any
) -> None:
    created = await _create(integration, people.agency_admin(unit="unit-1"), manifest())
    response = await integration.client.get(
        f"/v1/applications/{created['id']}", headers=people.agency_admin(unit="unit-2", account_id="admin-2")
    )
    assert response.status_code == 404


async def test_reviewer_lists_every_application(
    integration: RunningService, people: Any, manifest: Any
) -> None:
    await _create(integration, people.organization("org-a"), manifest())
    await _create(integration, people.organization("org-b"), manifest())
    listed = await integration.client.get("/v1/applications", headers=people.reviewer())
    assert len(listed.json()["items"]) == 2


async def test_list_pages_with_a_cursor(integration: RunningService, people: Any, manifest: Any) -> None:
    for _ in range(3):
        await _create(integration, people.organization(), manifest())
    first = (await integration.client.get("/v1/applications?limit=2", headers=people.organization())).json()
    second = (
        await integration.client.get(
            f"/v1/applications?limit=2&cursor={first['next_cursor']}", headers=people.organization()
        )
    ).json()
    ids = [a["id"] for a in first["items"] + second["items"]]
    assert len(set(ids)) == 3 and second["next_cursor"] is None


async def test_submit_then_changes_requested_then_resubmit(
    integration: RunningService, people: Any, manifest: Any
) -> None:
    created = await _create(integration, people.organization(), manifest())
    base = f"/v1/applications/{created['id']}"
    submitted = await integration.client.post(f"{base}/submit", headers=people.organization())
    assert submitted.json()["status"] == "submitted"
    changes = await integration.client.post(
        f"{base}/decisions",
        json={"decision": "request_changes", "comment": "Thiếu chính sách bảo mật / privacy policy"},
        headers=people.reviewer(),
    )
    assert changes.json()["status"] == "changes_requested"
    edited = await integration.client.put(
        f"{base}/manifest", json=manifest(category="mobility"), headers=people.organization()
    )
    assert edited.json()["status"] == "changes_requested"
    resubmitted = await integration.client.post(f"{base}/submit", headers=people.organization())
    assert resubmitted.json()["status"] == "submitted"
    assert len(await outbox_events(integration.runtime, ApplicationSubmitted)) == 2
    assert len(await outbox_events(integration.runtime, ApplicationChangesRequested)) == 1


async def test_applicant_reads_the_reviewers_comments_in_the_history(
    integration: RunningService, people: Any, manifest: Any
) -> None:
    created = await _create(integration, people.organization(), manifest())
    base = f"/v1/applications/{created['id']}"
    await integration.client.post(f"{base}/submit", headers=people.organization())
    await integration.client.post(
        f"{base}/decisions", json={"decision": "reject", "comment": "Out of scope"}, headers=people.reviewer()
    )
    history = (await integration.client.get(f"{base}/history", headers=people.organization())).json()
    assert [h["action"] for h in history] == ["create", "submit", "reject"]
    assert history[-1]["comment"] == "Out of scope" and history[-1]["to_status"] == "rejected"
    assert len(await outbox_events(integration.runtime, ApplicationRejected)) == 1


async def test_rejecting_needs_a_comment(integration: RunningService, people: Any, manifest: Any) -> None:
    created = await _create(integration, people.organization(), manifest())
    base = f"/v1/applications/{created['id']}"
    await integration.client.post(f"{base}/submit", headers=people.organization())
    response = await integration.client.post(
        f"{base}/decisions", json={"decision": "reject"}, headers=people.reviewer()
    )
    assert response.status_code == 422 and response.json()["type"].endswith("/comment-required")


async def test_applicant_cannot_decide_on_its_own_application(
    integration: RunningService, people: Any, manifest: Any
) -> None:
    created = await _create(integration, people.organization(), manifest())
    await integration.client.post(f"/v1/applications/{created['id']}/submit", headers=people.organization())
    response = await integration.client.post(
        f"/v1/applications/{created['id']}/decisions",
        json={"decision": "approve"},
        headers=people.organization(),
    )
    assert response.status_code == 403


async def test_approval_without_a_passed_conformance_report_is_refused(
    integration: RunningService, people: Any, manifest: Any
) -> None:
    created = await _create(integration, people.organization(), manifest())
    base = f"/v1/applications/{created['id']}"
    await integration.client.post(f"{base}/submit", headers=people.organization())
    response = await integration.client.post(
        f"{base}/decisions", json={"decision": "approve"}, headers=people.reviewer()
    )
    assert response.status_code == 409
    assert response.json()["type"].endswith("/conformance-not-passed")


async def test_a_draft_cannot_be_approved(integration: RunningService, people: Any, manifest: Any) -> None:
    created = await _create(integration, people.organization(), manifest())
    response = await integration.client.post(
        f"/v1/applications/{created['id']}/decisions", json={"decision": "approve"}, headers=people.reviewer()
    )
    assert response.status_code == 409
    assert response.json()["type"].endswith("/invalid-application-transition")


async def test_stale_if_match_is_refused(integration: RunningService, people: Any, manifest: Any) -> None:
    created = await _create(integration, people.organization(), manifest())
    base = f"/v1/applications/{created['id']}"
    read = await integration.client.get(base, headers=people.organization())
    etag = read.headers["ETag"]
    await integration.client.put(
        f"{base}/manifest", json=manifest(category="x"), headers=people.organization()
    )
    stale = await integration.client.post(
        f"{base}/submit", headers={**people.organization(), "If-Match": etag}
    )
    assert stale.status_code == 412


async def test_creating_twice_with_one_idempotency_key_creates_once(
    integration: RunningService, people: Any, manifest: Any
) -> None:
    headers = {**people.organization(), "Idempotency-Key": "k-1"}
    first = await integration.client.post("/v1/applications", json=manifest(), headers=headers)
    second = await integration.client.post("/v1/applications", json=manifest(), headers=headers)
    assert first.json()["id"] == second.json()["id"]


async def test_owner_retires_a_draft_and_it_is_final(
    integration: RunningService, people: Any, manifest: Any
) -> None:
    created = await _create(integration, people.organization(), manifest())
    base = f"/v1/applications/{created['id']}"
    retired = await integration.client.post(
        f"{base}/retire", json={"comment": "no longer"}, headers=people.organization()
    )
    assert retired.json()["status"] == "retired"
    again = await integration.client.post(f"{base}/submit", headers=people.organization())
    assert again.status_code == 409
