"""identity-service settings (prefix IDENTITY_)."""

from pydantic_settings import SettingsConfigDict

from hues_shared.settings import ServiceSettings


class IdentitySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="IDENTITY_", extra="ignore")

    service_name: str = "identity-service"
    port: int = 8001
    database_url: str = "sqlite+aiosqlite:///var/identity.db"
