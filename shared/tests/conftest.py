"""Fixtures for the shared library's tests: the lab service on SQLite with a recording bus."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # makes the test-only `hues_eventlab` package importable

from hues_eventlab import app as lab

from hues_shared.testing.apps import RunningService, running_service
from hues_shared.testing.events import RecordingBus
from hues_shared.testing.tokens import SigningKeys


@pytest.fixture(autouse=True)
def reset_faults() -> None:
    lab.faults.reset()


@pytest.fixture
async def lab_service(tmp_path: Path, test_keys: SigningKeys) -> AsyncIterator[RunningService]:
    url = f"sqlite+aiosqlite:///{tmp_path}/lab.db"
    await lab.create_schema(url)
    async with running_service(
        lab.create_app, lab.lab_settings(url), keys=test_keys, bus=RecordingBus(), migrate=False
    ) as service:
        yield service
