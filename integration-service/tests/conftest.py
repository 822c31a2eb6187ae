from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from hues_shared.permissions import INTEGRATION_REVIEW
from hues_shared.testing.apps import RunningService, running_service
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
