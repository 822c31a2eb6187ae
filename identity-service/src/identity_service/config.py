"""identity-service settings (prefix IDENTITY_); the regulation's values are the defaults."""

from __future__ import annotations

import base64
import ipaddress
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from hues_shared.settings import Environment, ServiceSettings

# Built-in development keys: usable in embedded mode and tests, refused when environment=production.
DEVELOPMENT_DATA_KEY = base64.urlsafe_b64encode(b"hue-s-development-data-key-32b!!").decode()
DEVELOPMENT_BLIND_INDEX_KEY = base64.urlsafe_b64encode(b"hue-s-development-blind-index-k!").decode()
DEVELOPMENT_SIGNING_KEY_KEY = base64.urlsafe_b64encode(b"hue-s-development-signing-key-k!").decode()


class IdentitySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="IDENTITY_", extra="ignore")

    # Production unless told otherwise (issue 7, item 13): a deployment that forgets the setting refuses
    # to start with the public development keys and the console OTP outbox. `hues run` (make run) and
    # the tests say development/test explicitly.
    environment: Environment = "production"
    service_name: str = "identity-service"
    port: int = 8001
    database_url: str = "sqlite+aiosqlite:///var/identity.db"

    # Personal data at rest (Law 91/2025, Art. 9.2): AES-256-GCM key and a separate HMAC key for lookups.
    data_encryption_key: SecretStr = SecretStr(DEVELOPMENT_DATA_KEY)
    blind_index_key: SecretStr = SecretStr(DEVELOPMENT_BLIND_INDEX_KEY)
    signing_key_encryption_key: SecretStr = SecretStr(DEVELOPMENT_SIGNING_KEY_KEY)

    # Tokens
    access_token_seconds: int = Field(default=300, ge=30, le=3600)
    refresh_token_days: int = Field(default=30, ge=1, le=365)
    signing_key_rotation_days: int = Field(default=30, ge=1)

    # Password policy (Art. 9.1, 18); OWASP ASVS adds the maximum length and the common-password check.
    password_min_length: int = Field(default=9, ge=9)  # "longer than 8 characters"
    password_max_length: int = Field(default=128, ge=64)
    password_max_age_days: int = Field(default=90, ge=1, le=90)
    password_reminder_days: list[int] = Field(default_factory=lambda: [14, 7, 1])
    argon2_memory_kib: int = Field(default=19_456, ge=8)  # OWASP minimum: 19 MiB, t=2, p=1
    argon2_time_cost: int = Field(default=2, ge=1)
    argon2_parallelism: int = Field(default=1, ge=1)
    # Hashes running at once (memory = this x argon2_memory_kib); empty = the CPU count of the pod.
    argon2_max_concurrent_hashes: int | None = Field(default=None, ge=1)

    # Brute-force protection (Keycloak's model): per login name and per (login name, address), from
    # `login_max_failures_per_account` failures on, a wait of `login_delay_base_seconds` doubling per
    # failure up to `login_lockout_seconds`; counts reset `login_failure_reset_seconds` after the first
    # failure. Per client address: `login_max_failures_per_address` in `login_failure_window_seconds`,
    # then `login_lockout_seconds`. Never a permanent lockout.
    login_max_failures_per_account: int = Field(default=5, ge=1)
    login_delay_base_seconds: int = Field(default=30, ge=1)
    login_failure_reset_seconds: int = Field(default=43_200, ge=60)
    login_max_failures_per_address: int = Field(default=30, ge=1)
    login_failure_window_seconds: int = Field(default=900, ge=1)
    login_lockout_seconds: int = Field(default=900, ge=1)
    # Addresses or CIDR ranges of the gateway/load balancers whose X-Forwarded-For is believed.
    trusted_proxy_addresses: list[str] = Field(default_factory=lambda: ["127.0.0.1", "::1"])

    # One-time codes for verification
    otp_provider: Literal["console", "http"] = "console"
    otp_length: int = Field(default=6, ge=6, le=8)
    otp_ttl_seconds: int = 300
    otp_max_attempts: int = 5
    otp_resend_interval_seconds: int = 60
    otp_max_sends_per_hour: int = 5
    sms_gateway_url: str = ""
    sms_gateway_token: SecretStr = SecretStr("")
    pending_account_hours: int = 24  # an unverified account stops blocking its document after this

    # Second factor (RFC 6238): optional for everyone, mandatory for staff roles when this is on.
    totp_required_for_staff: bool = False
    totp_issuer_name: str = "Hue-S"

    maintenance_interval_seconds: float = 3600.0

    @model_validator(mode="after")
    def _refuse_development_secrets_in_production(self) -> IdentitySettings:
        """The built-in keys are public (they are in the source); production must bring its own."""
        if self.environment != "production":
            return self
        defaults = {
            "data_encryption_key": DEVELOPMENT_DATA_KEY,
            "blind_index_key": DEVELOPMENT_BLIND_INDEX_KEY,
            "signing_key_encryption_key": DEVELOPMENT_SIGNING_KEY_KEY,
        }
        for name, default in defaults.items():
            if getattr(self, name).get_secret_value() == default:
                raise ValueError(
                    f"IDENTITY_{name.upper()} must be set in production (the development key is public)"
                )
        if self.otp_provider == "console":
            raise ValueError(
                "production sends one-time codes through the SMS gateway (IDENTITY_OTP_PROVIDER=http)"
            )
        if not self.sms_gateway_url:
            raise ValueError("IDENTITY_SMS_GATEWAY_URL is required in production")
        if all(_is_loopback(entry) for entry in self.trusted_proxy_addresses):
            # Behind the gateway every login would come from the gateway's address: thirty failures by
            # anyone would then throttle everyone (issue 7 item 3).
            raise ValueError(
                "IDENTITY_TRUSTED_PROXY_ADDRESSES trusts only loopback: in production the gateway is in "
                "front, so set it to the gateway's addresses or CIDR range (deploy/README.md)"
            )
        return self


def _is_loopback(entry: str) -> bool:
    return ipaddress.ip_network(entry, strict=False).is_loopback
