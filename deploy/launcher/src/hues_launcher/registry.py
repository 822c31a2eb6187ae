"""The platform's apps and where each one's factory, settings and migrations live."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from hues_shared.settings import ServiceSettings


@dataclass(frozen=True)
class AppEntry:
    name: str
    module: str  # has create_app(settings, *, bus=..., ...) and, for services, definition(settings)
    settings_path: str  # "package.config:ClassName"
    has_database: bool = True

    def settings_class(self) -> type[ServiceSettings]:
        module_name, _, class_name = self.settings_path.partition(":")
        settings_cls: type[ServiceSettings] = getattr(importlib.import_module(module_name), class_name)
        return settings_cls

    def settings(self, **overrides: Any) -> ServiceSettings:
        return self.settings_class()(**overrides)

    def create_app(self, settings: ServiceSettings, **kwargs: Any) -> FastAPI:
        app: FastAPI = importlib.import_module(self.module).create_app(settings, **kwargs)
        return app

    def migrations_dir(self) -> Path:
        """Where the service's Alembic scripts live (read from its definition; no app is built)."""
        path: Path = importlib.import_module(self.module).MIGRATIONS_DIR
        return path


SERVICES: dict[str, AppEntry] = {
    "identity": AppEntry("identity", "identity_service.main", "identity_service.config:IdentitySettings"),
    "integration": AppEntry(
        "integration", "integration_service.main", "integration_service.config:IntegrationSettings"
    ),
    "feedback": AppEntry("feedback", "feedback_service.main", "feedback_service.config:FeedbackSettings"),
    "notification": AppEntry(
        "notification", "notification_service.main", "notification_service.config:NotificationSettings"
    ),
    "catalog": AppEntry("catalog", "catalog_service.main", "catalog_service.config:CatalogSettings"),
}
GATEWAY = AppEntry("gateway", "gateway.main", "gateway.config:GatewaySettings", has_database=False)
ALL_APPS: dict[str, AppEntry] = {**SERVICES, "gateway": GATEWAY}
