"""Production refuses the built-in development secrets (reporter pseudonyms, media URL signatures)."""

import pytest
from pydantic import ValidationError

from feedback_service.config import FeedbackSettings

PRODUCTION = {
    "environment": "production",
    "database_url": "postgresql+asyncpg://u:p@db/feedback",
    "bus": "kafka",
}


def test_production_refuses_the_development_pseudonym_key() -> None:
    with pytest.raises(ValidationError, match="FEEDBACK_REPORTER_PSEUDONYM_KEY"):
        FeedbackSettings(**PRODUCTION, media_signing_key="m" * 32)


def test_production_refuses_the_development_media_key_for_local_media() -> None:
    with pytest.raises(ValidationError, match="FEEDBACK_MEDIA_SIGNING_KEY"):
        FeedbackSettings(**PRODUCTION, reporter_pseudonym_key="p" * 32)


def test_production_with_its_own_keys_loads() -> None:
    settings = FeedbackSettings(**PRODUCTION, reporter_pseudonym_key="p" * 32, media_signing_key="m" * 32)
    assert settings.storage_settings().backend == "local"


def test_s3_media_need_no_local_signing_key() -> None:
    settings = FeedbackSettings(**PRODUCTION, reporter_pseudonym_key="p" * 32, media_backend="s3")
    assert settings.storage_settings().backend == "s3"
