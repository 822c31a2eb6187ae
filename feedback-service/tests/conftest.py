from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from feedback_service.config import FeedbackSettings
from feedback_service.main import create_app
from feedback_service.testing import FeedbackDriver
from hues_shared.testing.apps import RunningService, running_service
from hues_shared.testing.tokens import SigningKeys


@pytest.fixture
async def feedback(tmp_path: Path, test_keys: SigningKeys) -> AsyncIterator[RunningService]:
    settings = FeedbackSettings(
        environment="test",
        database_url=f"sqlite+aiosqlite:///{tmp_path}/feedback.db",
        outbox_poll_interval_seconds=0.05,
        maintenance_interval_seconds=3600,
        media_local_root=str(tmp_path / "media"),
        media_url_prefix="/v1/media",
        log_json=False,
    )
    async with running_service(create_app, settings, keys=test_keys) as service:
        yield service


@pytest.fixture
def api(feedback: RunningService, test_keys: SigningKeys) -> FeedbackDriver:
    return FeedbackDriver(feedback, test_keys)
