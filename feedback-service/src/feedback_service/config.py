"""feedback-service settings (prefix FEEDBACK_)."""

from pydantic_settings import SettingsConfigDict

from hues_shared.settings import ServiceSettings


class FeedbackSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="FEEDBACK_", extra="ignore")

    service_name: str = "feedback-service"
    port: int = 8003
    database_url: str = "sqlite+aiosqlite:///var/feedback.db"
