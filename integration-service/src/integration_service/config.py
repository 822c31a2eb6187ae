"""integration-service settings (prefix INTEGRATION_)."""

from pydantic_settings import SettingsConfigDict

from hues_shared.settings import ServiceSettings


class IntegrationSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="INTEGRATION_", extra="ignore")

    service_name: str = "integration-service"
    port: int = 8002
    database_url: str = "sqlite+aiosqlite:///var/integration.db"
