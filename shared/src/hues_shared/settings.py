"""Settings every service shares; each service subclasses them with its own env prefix (IDENTITY_, ...)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "test", "production"]


class ServiceSettings(BaseSettings):
    """Configuration from environment variables only; embedded-mode defaults are baked in."""

    model_config = SettingsConfigDict(extra="ignore", env_file=None)

    service_name: str = "service"
    environment: Environment = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    public_base_url: str = ""

    database_url: str = "sqlite+aiosqlite:///var/service.db"
    database_pool_size: int = 10
    database_echo: bool = False

    bus: Literal["memory", "kafka"] = "memory"
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    # Real Kafka supports the idempotent producer; the Tansu test broker refuses it (architecture brief, 2).
    kafka_idempotent_producer: bool = True
    kafka_topic_partitions: int = 6
    kafka_replication_factor: int = 1

    outbox_batch_size: int = Field(default=500, ge=1, le=5000)
    outbox_poll_interval_seconds: float = Field(default=0.5, gt=0)
    outbox_retention_hours: int = 72
    # Housekeeping (hues_shared.events.housekeeping): inbox rows outlive the topics' retention.
    inbox_retention_hours: int = Field(default=168, ge=1)
    idempotency_key_hours: int = Field(default=24, ge=1)
    dead_letter_retention_days: int = Field(default=30, ge=1)
    consumer_batch_size: int = Field(default=500, ge=1, le=5000)
    event_max_attempts: int = Field(default=5, ge=1, le=20)
    event_retry_base_seconds: float = Field(default=0.2, ge=0)

    jwt_issuer: str = "http://127.0.0.1:8001"
    jwt_audience: str = "hue-s"
    jwks_url: str = "http://127.0.0.1:8001/.well-known/jwks.json"
    jwks_cache_seconds: int = 300
    jwt_leeway_seconds: int = 30

    max_body_bytes: int = 1_048_576
    log_level: str = "INFO"
    log_json: bool = True
    shutdown_grace_seconds: float = 10.0

    @property
    def is_development(self) -> bool:
        return self.environment == "development"

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith("postgresql")

    @model_validator(mode="after")
    def _refuse_embedded_defaults_in_production(self) -> ServiceSettings:
        """Production must not silently run on the embedded SQLite file or in-memory bus."""
        if self.environment == "production" and (self.bus == "memory" or not self.is_postgres):
            raise ValueError("production requires PostgreSQL (DATABASE_URL) and the Kafka bus (BUS=kafka)")
        return self
