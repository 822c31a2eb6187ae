"""Settings every service shares; each service subclasses them with its own env prefix (IDENTITY_, ...)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from hues_shared.events.kafka_security import KafkaSecurity

Environment = Literal["development", "test", "production"]


class FileVariables(PydanticBaseSettingsSource):
    """`<PREFIX><FIELD>_FILE=/run/secrets/x`: the setting's value is that file's content (compose and
    Kubernetes mount secrets as files, so they never appear in `docker inspect` or the process list).
    The plain variable wins when both are set."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        prefix = str(self.settings_cls.model_config.get("env_prefix", ""))
        variable = f"{prefix}{field_name}_FILE".upper()
        path = os.environ.get(variable)
        if not path:
            return None, field_name, False
        return Path(path).read_text(encoding="utf-8").strip(), field_name, False

    def __call__(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for field_name, field in self.settings_cls.model_fields.items():
            value, key, _ = self.get_field_value(field, field_name)
            if value is not None:
                values[key] = value
        return values


class ServiceSettings(BaseSettings):
    """Configuration from environment variables only; embedded-mode defaults are baked in."""

    model_config = SettingsConfigDict(extra="ignore", env_file=None)

    service_name: str = "service"
    environment: Environment = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    # Where clients reach the platform (the gateway), e.g. https://api.hue-s.example: every URL a client is
    # told (discovery, JWKS, links) is built from it (issue 14, item 1). Empty = the embedded gateway.
    public_base_url: str = ""

    database_url: str = "sqlite+aiosqlite:///var/service.db"
    # The schema owner's URL for `hues migrate` / `hues seed` (deploy/README.md, least privilege): the
    # running service connects as a DML-only role through DATABASE_URL. Empty = DATABASE_URL.
    migration_database_url: str = ""
    database_pool_size: int = 10
    database_echo: bool = False

    bus: Literal["memory", "kafka"] = "memory"
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    # Real Kafka supports the idempotent producer; the Tansu test broker refuses it (docs/architecture.md).
    kafka_idempotent_producer: bool = True
    # TLS and SASL towards a managed Kafka (hues_shared.events.kafka_security); plaintext by default.
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    kafka_sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] | None = None
    kafka_sasl_username: str = ""
    kafka_sasl_password: SecretStr = SecretStr("")
    kafka_ssl_cafile: str | None = None
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
    # Longest life of an access token identity issues: revocation entries live this long plus leeway, and
    # a verified token is trusted at most this long (issue 7, item 15).
    access_token_max_lifetime_seconds: int = Field(default=900, ge=60)
    # What token checks do while the revocation listener is not current: accept ("open") or 503 ("closed").
    revocation_fail_mode: Literal["open", "closed"] = "open"
    revocation_max_staleness_seconds: float = Field(default=15.0, gt=0)

    max_body_bytes: int = 1_048_576
    # /readyz and /metrics: only on this port when set (the launcher binds it), else only to these peers.
    management_port: int | None = None
    management_allow: list[str] = Field(default_factory=lambda: ["127.0.0.0/8", "::1/128"])
    log_level: str = "INFO"
    log_json: bool = True
    shutdown_grace_seconds: float = 10.0
    # Each readiness check's bound; all run in parallel, so /readyz answers within it (probe timeout 3 s).
    readiness_timeout_seconds: float = Field(default=2.0, gt=0)

    def public_url(self, path: str) -> str:
        """The URL a client uses for the public `path` (a gateway path such as /v1/identity/auth/token)."""
        base = (self.public_base_url or "http://127.0.0.1:8000").rstrip("/")
        return f"{base}{path}"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, FileVariables(settings_cls), dotenv_settings, file_secret_settings

    @property
    def is_development(self) -> bool:
        return self.environment == "development"

    def kafka_security(self) -> KafkaSecurity:
        return KafkaSecurity(
            protocol=self.kafka_security_protocol,
            sasl_mechanism=self.kafka_sasl_mechanism,
            sasl_username=self.kafka_sasl_username,
            sasl_password=self.kafka_sasl_password.get_secret_value(),
            ssl_cafile=self.kafka_ssl_cafile,
        )

    @model_validator(mode="after")
    def _kafka_security_is_complete(self) -> ServiceSettings:
        self.kafka_security()  # raises ValueError naming what is missing
        return self

    @property
    def schema_owner_url(self) -> str:
        return self.migration_database_url or self.database_url

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith("postgresql")

    @model_validator(mode="after")
    def _refuse_embedded_defaults_in_production(self) -> ServiceSettings:
        """Production must not silently run on the embedded SQLite file or in-memory bus."""
        if self.environment == "production" and (self.bus == "memory" or not self.is_postgres):
            raise ValueError("production requires PostgreSQL (DATABASE_URL) and the Kafka bus (BUS=kafka)")
        return self
