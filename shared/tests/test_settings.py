"""Settings: environment only, embedded defaults, and production refusing the embedded shortcuts."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from pydantic_settings import SettingsConfigDict

from hues_shared.settings import ServiceSettings

POSTGRES = "postgresql+asyncpg://svc@db:5432/svc"


class PrefixedSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="LABTEST_", extra="ignore", env_file=None)


def test_embedded_defaults_need_no_environment() -> None:
    settings = ServiceSettings()
    assert settings.bus == "memory" and settings.database_url.startswith("sqlite+aiosqlite")
    assert settings.is_development and not settings.is_postgres


def test_values_come_from_the_service_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABTEST_BUS", "kafka")
    monkeypatch.setenv("LABTEST_KAFKA_IDEMPOTENT_PRODUCER", "false")
    monkeypatch.setenv("LABTEST_OUTBOX_BATCH_SIZE", "250")
    settings = PrefixedSettings()
    assert (settings.bus, settings.kafka_idempotent_producer, settings.outbox_batch_size) == (
        "kafka",
        False,
        250,
    )


def test_production_refuses_sqlite() -> None:
    with pytest.raises(ValidationError, match="production requires PostgreSQL"):
        ServiceSettings(environment="production", bus="kafka")


def test_production_refuses_the_in_memory_bus() -> None:
    with pytest.raises(ValidationError, match="Kafka bus"):
        ServiceSettings(environment="production", database_url=POSTGRES, bus="memory")


def test_production_accepts_postgres_and_kafka() -> None:
    settings = ServiceSettings(environment="production", database_url=POSTGRES, bus="kafka")
    assert settings.is_postgres and not settings.is_development


def test_out_of_range_values_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABTEST_CONSUMER_BATCH_SIZE", "0")
    with pytest.raises(ValidationError):
        PrefixedSettings()
