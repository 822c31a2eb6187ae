"""/readyz means "this pod can serve" (issue 14 item 5, issue 13 item 9), on a real service app."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from feedback_service.config import FeedbackSettings
from feedback_service.main import create_app
from hues_shared.db import create_engine
from hues_shared.events.bus import InMemoryBus
from hues_shared.migrations import upgrade
from hues_shared.testing.apps import running_service
from hues_shared.testing.tokens import SigningKeys


def settings_for(tmp_path: Path) -> FeedbackSettings:
    return FeedbackSettings(database_url=f"sqlite+aiosqlite:///{tmp_path}/feedback.db", environment="test")


async def test_an_unmigrated_database_is_not_ready(tmp_path: Path, test_keys: SigningKeys) -> None:
    """Before: /readyz said ok while every route answered 500 on the missing tables."""
    async with running_service(create_app, settings_for(tmp_path), keys=test_keys, migrate=False) as svc:
        response = await svc.client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["schema"] == "not-migrated"


async def test_a_schema_at_another_revision_is_not_ready(tmp_path: Path, test_keys: SigningKeys) -> None:
    """An image older or newer than the database it is pointed at (a rollout against the wrong schema)."""
    settings = settings_for(tmp_path)
    app = create_app(settings)
    await upgrade(app.state.runtime.definition.migrations_dir, settings.database_url)
    engine = create_engine(settings.database_url)
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE alembic_version SET version_num = 'from-another-release'"))
    await engine.dispose()
    async with running_service(create_app, settings, keys=test_keys, migrate=False) as svc:
        response = await svc.client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["schema"] == "not-migrated"


async def test_a_migrated_service_is_ready(tmp_path: Path, test_keys: SigningKeys) -> None:
    async with running_service(create_app, settings_for(tmp_path), keys=test_keys) as svc:
        response = await svc.client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert set(response.json()["checks"]) >= {"database", "schema", "bus"}


async def test_a_silent_bus_degrades_but_keeps_the_pod_in_service(
    tmp_path: Path, test_keys: SigningKeys
) -> None:
    """Requests still commit their events to the outbox; a broker blip must not empty the load balancer."""
    bus = InMemoryBus()
    async with running_service(create_app, settings_for(tmp_path), keys=test_keys, bus=bus) as svc:
        bus.available = False
        response = await svc.client.get("/readyz")
        metrics = (await svc.client.get("/metrics")).text
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["bus"] == "degraded"
    assert 'dependency_up{dependency="bus"} 0.0' in metrics
