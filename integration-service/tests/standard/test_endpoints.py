from typing import Any

import jsonschema

from hues_shared.testing.apps import RunningService


async def test_current_standard_is_1_1_with_the_signature_rules(integration: RunningService) -> None:
    response = await integration.client.get("/v1/connection-standard")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == "1.1"
    signing = body["document"]["request_signing"]
    assert "RFC 9421" in signing["scheme"] and signing["max_clock_skew_seconds"] == 300
    assert signing["algorithms"] == ["ed25519", "hmac-sha256"]


async def test_the_manifest_schema_validates_a_manifest_and_refuses_a_bad_one(
    integration: RunningService, manifest: Any
) -> None:
    schema = (await integration.client.get("/v1/connection-standard")).json()["schemas"]["manifest"]
    jsonschema.validate(manifest(), schema)
    try:
        jsonschema.validate(manifest(kind="teleport"), schema)
    except jsonschema.ValidationError:
        return
    raise AssertionError("an unknown kind passed the published schema")


async def test_every_webhook_payload_has_a_schema(integration: RunningService) -> None:
    payloads = (await integration.client.get("/v1/connection-standard")).json()["schemas"]["webhook_payloads"]
    assert "hues.integration.application.suspended" in payloads
    assert "hues.integration.webhook.challenge" in payloads
    jsonschema.validate(
        {
            "type": "hues.integration.webhook.challenge",
            "timestamp": "2026-12-03T08:00:00+00:00",
            "data": {"application_id": "a", "challenge": "c"},
        },
        payloads["hues.integration.webhook.challenge"],
    )


async def test_version_1_0_stays_served(integration: RunningService) -> None:
    response = await integration.client.get("/v1/connection-standard/1.0")
    assert response.status_code == 200 and response.json()["version"] == "1.0"


async def test_unknown_version_is_a_404_problem(integration: RunningService) -> None:
    response = await integration.client.get("/v1/connection-standard/9.9")
    assert response.status_code == 404
    assert response.json()["type"].endswith("/not-found")
