"""Partner settings (prefix GATEWAY_PARTNER_), apart from GatewaySettings: the feature stays in its folder."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SEALING_SECRET = "development-only-sealing-secret"  # integration-service's development default


class PartnerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_PARTNER_", extra="ignore")

    # The issuer of partner tokens: integration-service (docs/integration.md, "Where the grant is served").
    token_issuer: str = "http://127.0.0.1:8002"
    token_audience: str = "hue-s-partners"
    jwks_url: str = "http://127.0.0.1:8002/v1/oauth/jwks.json"
    jwks_cache_seconds: int = 300
    leeway_seconds: int = 30
    # Unseals hmac-sha256 keys announced in integration's events (= INTEGRATION_KEY_SEALING_SECRET).
    key_sealing_secret: str = DEVELOPMENT_SEALING_SECRET
    # Which credentials this deployment serves: a production gateway refuses sandbox credentials.
    environment: Literal["sandbox", "production"] = "sandbox"
    signature_max_skew_seconds: int = Field(default=300, ge=1)
    nonce_ttl_seconds: int = Field(default=600, ge=1)
    # Partner calls are counted per application and route and published in batches this often (Art. 15.3).
    usage_flush_seconds: float = Field(default=10.0, gt=0)
