from hues_shared.testing.apps import RunningService


async def test_current_standard_names_the_signature_scheme(integration: RunningService) -> None:
    response = await integration.client.get("/v1/connection-standard")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == "1.0"
    assert "RFC 9421" in body["document"]["request_signing"]["scheme"]


async def test_unknown_version_is_a_404_problem(integration: RunningService) -> None:
    response = await integration.client.get("/v1/connection-standard/9.9")
    assert response.status_code == 404
    assert response.json()["type"].endswith("/not-found")
