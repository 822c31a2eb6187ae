"""The connection-check machine route verifies integration's own partner tokens."""

from typing import Any

from fastapi import FastAPI


async def test_connection_check_echoes_the_calling_client(
    onboarding: Any, people: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    application_id = await onboarding.approved(partner_manifest(), partner[0])
    client = onboarding.service.client
    issued = (
        await client.post(
            f"/v1/applications/{application_id}/clients", json={}, headers=people.organization()
        )
    ).json()
    token = (
        await client.post(
            "/v1/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": issued["client_id"],
                "client_secret": issued["client_secret"],
            },
        )
    ).json()["access_token"]
    response = await client.post(
        "/v1/partner/connection-check", content=b"abc", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    assert response.json()["client_id"] == issued["client_id"] and response.json()["received_bytes"] == 3


async def test_connection_check_refuses_an_identity_token(integration: Any, people: Any) -> None:
    response = await integration.client.get("/v1/partner/connection-check", headers=people.organization())
    assert response.status_code == 401
