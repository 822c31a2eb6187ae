"""notification-service settings (prefix NOTIFICATION_)."""

from pathlib import Path

from pydantic_settings import SettingsConfigDict

from hues_shared.settings import ServiceSettings


class NotificationSettings(ServiceSettings):
    """Embedded-mode defaults; push goes to the local sink unless an FCM endpoint is configured."""

    model_config = SettingsConfigDict(env_prefix="NOTIFICATION_", extra="ignore")

    service_name: str = "notification-service"
    port: int = 8004
    database_url: str = "sqlite+aiosqlite:///var/notification.db"
    # Ward centres (CSV ward_code,name,latitude,longitude) from the DIC's GIS layer; loaded at start.
    ward_centres_file: Path | None = None
    # CAP 1.2 <sender>; feeds link to public_base_url (the gateway's public root) + /v1/notification/feeds.
    cap_sender: str = "canhbao@hue-s.vn"
    # Push: an FCM HTTP v1 compatible endpoint. "embedded": an in-process sink that records what it gets
    # (embedded mode); in production "embedded" turns push off with a warning until an endpoint is set.
    push_enabled: bool = True
    push_endpoint: str = "embedded"
    push_project_id: str = "hue-s"
    push_access_token: str | None = None  # OAuth2 bearer for the real FCM (from a service account)
    push_concurrency: int = 50
    push_batch_size: int = 500
    push_max_attempts: int = 4
    push_retry_base_seconds: float = 0.5
    push_timeout_seconds: float = 10.0
    push_poll_seconds: float = 1.0

    @property
    def feeds_url(self) -> str:
        """Where the public feeds are reached through the gateway."""
        return f"{(self.public_base_url or 'http://localhost:8000').rstrip('/')}/v1/notification/feeds"
