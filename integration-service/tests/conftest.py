import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from standardwebhooks import Webhook

from hues_shared.permissions import INTEGRATION_REVIEW
from hues_shared.testing.apps import RunningService, running_service
from hues_shared.testing.receivers import serving
from hues_shared.testing.tokens import SigningKeys
from integration_service.config import IntegrationSettings
from integration_service.main import create_app


def test_settings(tmp_path: Path, **overrides: Any) -> IntegrationSettings:
    values: dict[str, Any] = {
        "environment": "test",
        "database_url": f"sqlite+aiosqlite:///{tmp_path}/integration.db",
        **overrides,
    }
    return IntegrationSettings(**values)


@pytest.fixture
async def integration(tmp_path: Path, test_keys: SigningKeys) -> AsyncIterator[RunningService]:
    async with running_service(create_app, test_settings(tmp_path), keys=test_keys) as service:
        yield service


@dataclass
class People:
    """Bearer headers of the personas the application tests need."""

    keys: SigningKeys

    def organization(self, account_id: str = "org-a") -> dict[str, str]:
        token = self.keys.token(sub=account_id, roles=["organization"], kind="organization")
        return {"Authorization": f"Bearer {token}"}

    def agency_admin(self, unit: str = "unit-1", account_id: str = "admin-1") -> dict[str, str]:
        token = self.keys.token(sub=account_id, roles=["agency_admin"], kind="staff", unit=unit)
        return {"Authorization": f"Bearer {token}"}

    def reviewer(self, account_id: str = "dic-reviewer") -> dict[str, str]:
        token = self.keys.token(
            sub=account_id, roles=["dic_admin"], kind="staff", permissions=[INTEGRATION_REVIEW]
        )
        return {"Authorization": f"Bearer {token}"}

    def citizen(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys.token(sub='citizen-1')}"}


@pytest.fixture
def people(test_keys: SigningKeys) -> People:
    return People(test_keys)


ManifestFactory = Callable[..., dict[str, Any]]


@pytest.fixture
def manifest() -> ManifestFactory:
    """A valid manifest; keyword arguments replace fields."""

    def build(**changes: Any) -> dict[str, Any]:
        document: dict[str, Any] = {
            "name": {"vi": "Xe buýt Huế", "en": "Hue buses"},
            "description": {"vi": "Giờ xe buýt thời gian thực", "en": "Real-time bus times"},
            "kind": "webhook_consumer",
            "category": "transport",
            "requested_scopes": ["integration.application.read", "partner.connection.check"],
            "personal_data": [],
            "webhook_url": "https://partner.example.vn/webhooks",
            "health_url": "https://partner.example.vn/health",
            "support": {"name": "Hỗ trợ", "email": "support@partner.example.vn"},
            "environment": "sandbox",
        }
        document.update(changes)
        return document

    return build


def partner_app() -> FastAPI:
    """A partner system on 127.0.0.1: health, an OpenAPI document, and a Standard Webhooks receiver that
    verifies each delivery with the secret in `app.state.secret` and records it."""
    app = FastAPI()
    app.state.secret = None
    app.state.health_status = 200
    app.state.echo = True
    app.state.webhook_status = 200
    app.state.delay = 0.0
    app.state.received = []
    app.state.attempts = 0

    @app.get("/health")
    async def health() -> JSONResponse:
        return JSONResponse({"status": "ok"}, status_code=app.state.health_status)

    @app.get("/to")
    async def redirect(url: str) -> RedirectResponse:
        return RedirectResponse(url, status_code=302)

    @app.get("/api/openapi.json")
    async def openapi() -> dict[str, Any]:
        return PARTNER_OPENAPI

    @app.post("/webhooks")
    async def webhooks(request: Request) -> JSONResponse:
        app.state.attempts += 1
        if app.state.delay:
            await asyncio.sleep(app.state.delay)
        body = await request.body()
        try:
            payload = Webhook(app.state.secret).verify(body, dict(request.headers))
        except Exception:
            return JSONResponse({"error": "bad signature"}, status_code=401)
        app.state.received.append({"payload": payload, "headers": dict(request.headers)})
        if app.state.webhook_status >= 300:
            return JSONResponse({"error": "down"}, status_code=app.state.webhook_status)
        challenge = payload.get("data", {}).get("challenge") if app.state.echo else None
        return JSONResponse({"challenge": challenge} if challenge else {"ok": True})

    return app


PARTNER_OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Hue buses", "version": "1.0.0"},
    "servers": [{"url": "https://partner.example.vn"}],
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    "paths": {
        "/v1/buses": {
            "get": {
                "responses": {
                    "200": {"description": "buses"},
                    "400": {
                        "description": "problem",
                        "content": {"application/problem+json": {"schema": {"type": "object"}}},
                    },
                }
            }
        }
    },
}


@pytest.fixture
async def partner() -> AsyncIterator[tuple[FastAPI, str]]:
    app = partner_app()
    async with serving(app) as url:
        yield app, url


@pytest.fixture
async def another_partner() -> AsyncIterator[tuple[FastAPI, str]]:
    app = partner_app()
    async with serving(app) as url:
        yield app, url


@pytest.fixture
async def open_integration(tmp_path: Path, test_keys: SigningKeys) -> AsyncIterator[RunningService]:
    """integration-service allowed to call loopback (local partner receivers), as only tests may."""
    settings = test_settings(
        tmp_path,
        outbound_allow_loopback=True,
        webhook_poll_seconds=0.05,
        webhook_retry_schedule_seconds=[0.05, 0.05],
        webhook_timeout_seconds=0.5,
    )
    async with running_service(create_app, settings, keys=test_keys) as service:
        yield service


async def eventually(check: Callable[[], Awaitable[Any]], *, within: float = 10.0) -> Any:
    """Poll until `check()` returns something truthy (positive conditions only; never as negative proof)."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        result = await check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


@pytest.fixture
def wait() -> Callable[..., Awaitable[Any]]:
    return eventually


@dataclass
class Onboarding:
    """Drive an application through the API as its owner and a DIC reviewer would."""

    service: RunningService
    people: People

    async def draft(self, document: dict[str, Any], *, owner: str = "org-a") -> dict[str, Any]:
        response = await self.service.client.post(
            "/v1/applications", json=document, headers=self.people.organization(owner)
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def webhook_secret(self, application_id: str, *, owner: str = "org-a") -> str:
        response = await self.service.client.post(
            f"/v1/applications/{application_id}/webhook-secret", headers=self.people.organization(owner)
        )
        assert response.status_code == 201, response.text
        return str(response.json()["secret"])

    async def submit_and_wait_for_report(
        self, application_id: str, *, owner: str = "org-a"
    ) -> dict[str, Any]:
        base = f"/v1/applications/{application_id}"
        response = await self.service.client.post(f"{base}/submit", headers=self.people.organization(owner))
        assert response.status_code == 200, response.text
        version = response.json()["version"]

        async def report() -> dict[str, Any] | None:
            answer = await self.service.client.get(
                f"{base}/conformance", headers=self.people.organization(owner)
            )
            body = answer.json() if answer.status_code == 200 else None
            return body if body and body["application_version"] == version else None

        return dict(await eventually(report))

    async def subscribe(self, application_id: str, url: str, *event_types: str, owner: str = "org-a") -> str:
        response = await self.service.client.post(
            f"/v1/applications/{application_id}/webhook-subscriptions",
            json={"url": url, "event_types": list(event_types)},
            headers=self.people.organization(owner),
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    async def deliveries(self, subscription_id: str, *, owner: str = "org-a") -> list[dict[str, Any]]:
        response = await self.service.client.get(
            f"/v1/webhook-subscriptions/{subscription_id}/deliveries", headers=self.people.organization(owner)
        )
        assert response.status_code == 200, response.text
        return list(response.json()["items"])

    async def decide(self, application_id: str, decision: str, comment: str | None = None) -> Any:
        return await self.service.client.post(
            f"/v1/applications/{application_id}/decisions",
            json={"decision": decision, "comment": comment},
            headers=self.people.reviewer(),
        )

    async def approved(self, document: dict[str, Any], partner: FastAPI, *, owner: str = "org-a") -> str:
        """Draft, secret, submit, pass the check, approve: the application id, active in sandbox."""
        created = await self.draft(document, owner=owner)
        partner.state.secret = await self.webhook_secret(created["id"], owner=owner)
        report = await self.submit_and_wait_for_report(created["id"], owner=owner)
        assert report["passed"], report
        response = await self.decide(created["id"], "approve")
        assert response.status_code == 200, response.text
        return str(created["id"])


@pytest.fixture
def onboarding(open_integration: RunningService, people: People) -> Onboarding:
    return Onboarding(open_integration, people)


@pytest.fixture
def onboarding_for(people: People) -> Callable[[RunningService], Onboarding]:
    return lambda service: Onboarding(service, people)


@pytest.fixture
def partner_manifest(partner: tuple[FastAPI, str], manifest: ManifestFactory) -> ManifestFactory:
    """A manifest whose URLs point at the local partner receiver."""
    _, url = partner

    def build(**changes: Any) -> dict[str, Any]:
        return manifest(**{"health_url": f"{url}/health", "webhook_url": f"{url}/webhooks", **changes})

    return build
