"""feedback-service settings (prefix FEEDBACK_)."""

from typing import Literal

from pydantic import SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from hues_shared.settings import ServiceSettings
from hues_shared.storage import StorageSettings

DEVELOPMENT_PSEUDONYM_KEY = "development-only-reporter-pseudonym-key"
DEVELOPMENT_MEDIA_KEY = "development-only-media-signing-key"


class FeedbackSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="FEEDBACK_", extra="ignore")

    service_name: str = "feedback-service"
    port: int = 8003
    database_url: str = "sqlite+aiosqlite:///var/feedback.db"
    # Keyed hash of the reporter's account id shown to units instead of the account (reporter hidden).
    reporter_pseudonym_key: SecretStr = SecretStr(DEVELOPMENT_PSEUDONYM_KEY)
    duplicate_radius_metres: float = 150.0
    duplicate_window_hours: int = 72
    reopen_window_days: int = 7
    maintenance_interval_seconds: float = 60.0
    # Open311 partner applications: name -> api_key (JSON). integration-service's credentials replace it.
    open311_api_keys: dict[str, str] = {}
    max_body_bytes: int = 21 * 1024 * 1024  # one short video (19 MiB) with its multipart envelope

    # Media: local files in embedded mode, S3-compatible storage (MinIO) in distributed mode.
    media_backend: Literal["local", "s3"] = "local"
    media_local_root: str = "var/feedback-media"
    media_url_prefix: str = "/v1/feedback/media"  # where the gateway publishes GET /v1/media (local backend)
    media_signing_key: SecretStr = SecretStr(DEVELOPMENT_MEDIA_KEY)
    media_url_seconds: int = 300  # signed URLs are short-lived
    media_s3_endpoint_url: str | None = None
    media_s3_region: str = "us-east-1"
    media_s3_bucket: str = "hues-feedback-media"
    media_s3_access_key_id: str | None = None
    media_s3_secret_access_key: SecretStr | None = None

    def storage_settings(self) -> StorageSettings:
        return StorageSettings(
            backend=self.media_backend,
            local_root=self.media_local_root,
            local_url_prefix=self.media_url_prefix,
            signing_key=self.media_signing_key,
            s3_endpoint_url=self.media_s3_endpoint_url,
            s3_region=self.media_s3_region,
            s3_bucket=self.media_s3_bucket,
            s3_access_key_id=self.media_s3_access_key_id,
            s3_secret_access_key=self.media_s3_secret_access_key,
        )

    @model_validator(mode="after")
    def _refuse_development_key_in_production(self) -> "FeedbackSettings":
        if self.environment == "production" and (
            self.reporter_pseudonym_key.get_secret_value() == DEVELOPMENT_PSEUDONYM_KEY
        ):
            raise ValueError("set FEEDBACK_REPORTER_PSEUDONYM_KEY in production")
        if (
            self.environment == "production"
            and self.media_backend == "local"
            and self.media_signing_key.get_secret_value() == DEVELOPMENT_MEDIA_KEY
        ):
            raise ValueError("set FEEDBACK_MEDIA_SIGNING_KEY in production")
        return self
