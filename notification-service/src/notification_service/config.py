"""notification-service settings (prefix NOTIFICATION_)."""

from pydantic_settings import SettingsConfigDict

from hues_shared.settings import ServiceSettings


class NotificationSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFICATION_", extra="ignore")

    service_name: str = "notification-service"
    port: int = 8004
    database_url: str = "sqlite+aiosqlite:///var/notification.db"
