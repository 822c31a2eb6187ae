"""Every error leaves as RFC 9457 problem+json: domain, HTTP, validation, unknown routes and crashes."""

from __future__ import annotations

import httpx

from hues_shared.problems import PROBLEM_BASE, Conflict, NotFound, problem_body
from hues_shared.testing.apps import RunningService


def assert_problem(response: httpx.Response, status: int, slug: str) -> dict[str, object]:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = response.json()
    assert body["type"] == PROBLEM_BASE + slug and body["status"] == status and body["title"]
    return body


async def test_domain_error_becomes_a_problem(lab_service: RunningService) -> None:
    body = assert_problem(await lab_service.client.get("/v1/lab/items/999"), 404, "not-found")
    assert body["detail"] == "No item 999." and body["instance"] == "/v1/lab/items/999"
    assert body["request_id"]


async def test_unknown_route_is_a_problem(lab_service: RunningService) -> None:
    body = assert_problem(await lab_service.client.get("/v1/nowhere"), 404, "not-found")
    assert "/v1/nowhere" in str(body["detail"])


async def test_wrong_method_is_a_problem(lab_service: RunningService) -> None:
    assert_problem(await lab_service.client.delete("/v1/lab/items"), 405, "method-not-allowed")


async def test_validation_error_lists_the_fields(lab_service: RunningService) -> None:
    response = await lab_service.client.post("/v1/lab/items", json={"name": "", "note": 5})
    body = assert_problem(response, 422, "validation-error")
    fields = {(e["in"], e["field"]) for e in body["errors"]}  # type: ignore[attr-defined]
    assert fields == {("body", "name"), ("body", "note")}


async def test_malformed_json_is_a_validation_problem(lab_service: RunningService) -> None:
    response = await lab_service.client.post(
        "/v1/lab/items", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert_problem(response, 422, "validation-error")


async def test_crash_is_a_500_problem_without_internals(lab_service: RunningService) -> None:
    transport = httpx.ASGITransport(app=lab_service.app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/v1/lab/crash", headers={"x-request-id": "crash-1"})
    body = assert_problem(response, 500, "internal-error")
    assert "secret internal detail" not in response.text and "Traceback" not in response.text
    assert body["request_id"] == "crash-1"


async def test_missing_token_is_401_with_bearer_challenge(lab_service: RunningService) -> None:
    response = await lab_service.client.get("/v1/lab/me")
    assert_problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_problem_error_carries_slug_and_extensions() -> None:
    error = Conflict("Taken.", slug="name-taken", existing_id=7)
    assert (error.status, error.slug, error.extensions) == (409, "name-taken", {"existing_id": 7})
    assert NotFound().status == 404 and str(NotFound()) == "Not found"


def test_problem_body_omits_empty_members() -> None:
    body = problem_body(status=400, slug="bad-request", title="Bad request", detail=None, instance=None)
    assert body == {"type": PROBLEM_BASE + "bad-request", "title": "Bad request", "status": 400}
