"""feedback-service settings (prefix FEEDBACK_)."""

from pydantic import SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from hues_shared.settings import ServiceSettings

DEVELOPMENT_PSEUDONYM_KEY = "development-only-reporter-pseudonym-key"


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

    @model_validator(mode="after")
    def _refuse_development_key_in_production(self) -> "FeedbackSettings":
        if self.environment == "production" and (
            self.reporter_pseudonym_key.get_secret_value() == DEVELOPMENT_PSEUDONYM_KEY
        ):
            raise ValueError("set FEEDBACK_REPORTER_PSEUDONYM_KEY in production")
        return self
