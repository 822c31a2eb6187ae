"""integration-service settings (prefix INTEGRATION_)."""

from __future__ import annotations

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from hues_shared.settings import ServiceSettings

DEVELOPMENT_SEALING_SECRET = "development-only-sealing-secret"


class IntegrationSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="INTEGRATION_", extra="ignore")

    service_name: str = "integration-service"
    port: int = 8002
    database_url: str = "sqlite+aiosqlite:///var/integration.db"

    # Seals webhook secrets and hmac signing keys at rest and in events; the gateway holds the same one.
    key_sealing_secret: str = DEVELOPMENT_SEALING_SECRET

    # Outbound calls to partner URLs (conformance, webhooks): loopback only for tests with local receivers.
    outbound_allow_loopback: bool = False
    conformance_timeout_seconds: float = Field(default=5.0, gt=0)

    # Client-credentials tokens this service issues for partner applications (docs/integration.md).
    partner_issuer: str = "http://127.0.0.1:8002"
    partner_audience: str = "hue-s-partners"
    token_lifetime_seconds: int = Field(default=600, ge=60, le=3600)
    # Old client secrets and signing keys keep working this long after a rotation.
    rotation_overlap_seconds: int = Field(default=86_400, ge=0)

    # Webhooks (Standard Webhooks): retries after each failure, ~27.6 h in all (at least 24 h), then the
    # delivery fails and the subscription is disabled with a notice to the owner.
    webhook_retry_schedule_seconds: list[float] = Field(
        default_factory=lambda: [5.0, 300.0, 1800.0, 7200.0, 18_000.0, 36_000.0, 36_000.0]
    )
    webhook_timeout_seconds: float = Field(default=5.0, gt=0)
    webhook_concurrency: int = Field(default=20, ge=1)
    webhook_batch_size: int = Field(default=200, ge=1)
    webhook_poll_seconds: float = Field(default=1.0, gt=0)
    webhook_dispatcher_enabled: bool = True

    @property
    def require_https(self) -> bool:
        """Connection standard: partner URLs are https in production."""
        return self.environment == "production"

    @model_validator(mode="after")
    def _refuse_development_secrets_in_production(self) -> IntegrationSettings:
        if self.environment == "production":
            if self.key_sealing_secret == DEVELOPMENT_SEALING_SECRET:
                raise ValueError("production requires INTEGRATION_KEY_SEALING_SECRET")
            if self.outbound_allow_loopback:
                raise ValueError("INTEGRATION_OUTBOUND_ALLOW_LOOPBACK is for tests only")
        return self
