from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from feedback_service.config import FeedbackSettings
from feedback_service.main import create_app
from hues_shared.testing.apps import RunningService, running_service
from hues_shared.testing.tokens import SigningKeys


@pytest.fixture
async def feedback(tmp_path: Path, test_keys: SigningKeys) -> AsyncIterator[RunningService]:
    settings = FeedbackSettings(
        environment="test", database_url=f"sqlite+aiosqlite:///{tmp_path}/feedback.db"
    )
    async with running_service(create_app, settings, keys=test_keys) as service:
        yield service
