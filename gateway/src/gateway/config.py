"""Gateway settings (prefix GATEWAY_): upstream addresses, limits, trust and web-client rules."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from hues_shared.settings import ServiceSettings

UPSTREAM_NAMES = ("identity", "integration", "feedback", "notification", "catalog")


class GatewaySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    service_name: str = "gateway"
    port: int = 8000

    # Upstream base URLs; the route table names upstreams, these say where they live.
    upstream_identity_url: str = "http://127.0.0.1:8001"
    upstream_integration_url: str = "http://127.0.0.1:8002"
    upstream_feedback_url: str = "http://127.0.0.1:8003"
    upstream_notification_url: str = "http://127.0.0.1:8004"
    upstream_catalog_url: str = "http://127.0.0.1:8005"
    upstream_client: Literal["aiohttp", "httpx"] = "aiohttp"
    upstream_connections: int = Field(default=200, ge=1)
    upstream_connect_timeout_seconds: float = Field(default=2.0, gt=0)

    # The route table file; None = the versioned table shipped in the package (gateway/routes.toml).
    routes_file: Path | None = None

    # None = counters and denylist in memory (embedded mode); a URL shares them between replicas.
    redis_url: str | None = None
    redis_key_prefix: str = "hues:gateway"
    rate_limits_enabled: bool = True
    # Multiplies every amount of the route table's limits; None = 10 in development (a developer exploring
    # the API is not locked out), 1 elsewhere (issue 14, item 6).
    rate_limit_scale: float | None = Field(default=None, gt=0)

    verified_token_cache_size: int = Field(default=50_000, ge=0)

    # X-Forwarded-For is believed only when the direct peer is one of these (IPs or CIDR networks).
    trusted_proxies: list[str] = Field(default_factory=list)
    cors_origins: list[str] = Field(default_factory=list)

    max_in_flight: int = Field(default=1000, ge=1)
    max_in_flight_per_upstream: int = Field(default=500, ge=1)
    breaker_failure_threshold: int = Field(default=5, ge=1)
    breaker_open_seconds: float = Field(default=10.0, gt=0)
    retry_attempts: int = Field(default=2, ge=1, le=5)
    retry_base_seconds: float = Field(default=0.05, ge=0)
    # Bodies up to this size are read before forwarding (so idempotent calls can be retried); larger stream.
    buffer_body_bytes: int = Field(default=65_536, ge=0)
    # A client's body: longest pause between chunks, and the average rate required after the grace period
    # (slower is answered 408 and never counts against the upstream; issue 7, item 2).
    client_body_idle_seconds: float = Field(default=10.0, gt=0)
    client_body_min_bytes_per_second: float = Field(default=512.0, ge=0)
    client_body_grace_seconds: float = Field(default=5.0, ge=0)

    docs_cache_seconds: float = Field(default=60.0, ge=0)

    @property
    def effective_rate_limit_scale(self) -> float:
        if self.rate_limit_scale is not None:
            return self.rate_limit_scale
        return 10.0 if self.environment == "development" else 1.0

    def upstream_urls(self) -> dict[str, str]:
        """Upstream name -> base URL without a trailing slash."""
        return {name: str(getattr(self, f"upstream_{name}_url")).rstrip("/") for name in UPSTREAM_NAMES}

    @model_validator(mode="after")
    def _refuse_embedded_defaults_in_production(self) -> GatewaySettings:
        """No database here; production needs Kafka (revocations) and Redis (limits shared by replicas)."""
        if self.environment == "production" and (self.bus == "memory" or not self.redis_url):
            raise ValueError("production requires the Kafka bus (GATEWAY_BUS=kafka) and GATEWAY_REDIS_URL")
        return self
