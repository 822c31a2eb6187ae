"""catalog-service settings (prefix CATALOG_)."""

from pydantic_settings import SettingsConfigDict

from hues_shared.settings import ServiceSettings


class CatalogSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CATALOG_", extra="ignore")

    service_name: str = "catalog-service"
    port: int = 8005
    database_url: str = "sqlite+aiosqlite:///var/catalog.db"
