"""The migrations build exactly the tables the models describe, on SQLite and on real PostgreSQL."""

from pathlib import Path

import pytest
from jose import jwt

from hues_shared.migrations import upgrade
from hues_shared.testing.apps import running_service
from hues_shared.testing.migrations import schema_differences
from hues_shared.testing.tokens import SigningKeys
from identity_service.db import metadata
from identity_service.main import MIGRATIONS_DIR, create_app
from identity_service.testing import CITIZEN_CCCD, IdentityDriver, light_settings


async def _differences(url: str) -> list:
    return await schema_differences(url, metadata)


async def test_sqlite_migrations_match_the_models(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/m.db"
    await upgrade(MIGRATIONS_DIR, url)
    assert await _differences(url) == []


@pytest.mark.postgres
async def test_registration_and_login_on_postgresql(
    postgres_url: str, tmp_path: Path, test_keys: SigningKeys
) -> None:
    settings = light_settings(tmp_path, database_url=postgres_url)
    async with running_service(create_app, settings, keys=test_keys) as service:
        assert await _differences(postgres_url) == []
        api = IdentityDriver(service, test_keys)
        citizen = await api.active_citizen()
        token = await api.access_token(CITIZEN_CCCD)
        assert jwt.get_unverified_claims(token)["sub"] == citizen["account_id"]
        assert (await api.login(CITIZEN_CCCD, "Wrong-Pass#1")).status_code == 400
        refresh = (await api.login(citizen["phone"])).json()["refresh_token"]
        rotated = await api.client.post(
            "/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": refresh}
        )
        assert rotated.status_code == 200
