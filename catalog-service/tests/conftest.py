from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from catalog_service.config import CatalogSettings
from catalog_service.main import create_app
from catalog_service.testing import CatalogApi, Personas
from hues_shared.testing.apps import RunningService, running_service
from hues_shared.testing.tokens import SigningKeys


@pytest.fixture
async def catalog(tmp_path: Path, test_keys: SigningKeys) -> AsyncIterator[RunningService]:
    settings = CatalogSettings(environment="test", database_url=f"sqlite+aiosqlite:///{tmp_path}/catalog.db")
    async with running_service(create_app, settings, keys=test_keys) as service:
        yield service


@pytest.fixture
async def catalog_pg(postgres_url: str, test_keys: SigningKeys) -> AsyncIterator[RunningService]:
    settings = CatalogSettings(environment="test", database_url=postgres_url)
    async with running_service(create_app, settings, keys=test_keys) as service:
        yield service


@pytest.fixture
def personas(test_keys: SigningKeys) -> Personas:
    return Personas(test_keys)


@pytest.fixture
def api(catalog: RunningService, personas: Personas) -> CatalogApi:
    return CatalogApi(catalog.client, personas)


@pytest.fixture
async def corpus(api: CatalogApi) -> dict[str, dict[str, object]]:
    return await api.seed_corpus()
