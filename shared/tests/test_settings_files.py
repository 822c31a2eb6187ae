"""Secrets as files (`<PREFIX><FIELD>_FILE`), the way compose `secrets:` and Kubernetes mount them."""

from hues_shared.settings import ServiceSettings
from identity_service.config import IdentitySettings


class FeedbackLike(ServiceSettings):
    model_config = {**ServiceSettings.model_config, "env_prefix": "DEMO_"}


def test_a_setting_is_read_from_the_file_its_file_variable_names(tmp_path, monkeypatch):
    secret = tmp_path / "db_url"
    secret.write_text("postgresql+asyncpg://demo_app:s3cret@db:5432/demo\n")
    monkeypatch.setenv("DEMO_DATABASE_URL_FILE", str(secret))
    assert FeedbackLike().database_url == "postgresql+asyncpg://demo_app:s3cret@db:5432/demo"


def test_the_plain_variable_wins_over_the_file(tmp_path, monkeypatch):
    secret = tmp_path / "db_url"
    secret.write_text("from-file")
    monkeypatch.setenv("DEMO_DATABASE_URL_FILE", str(secret))
    monkeypatch.setenv("DEMO_DATABASE_URL", "sqlite+aiosqlite:///from-env.db")
    assert FeedbackLike().database_url == "sqlite+aiosqlite:///from-env.db"


def test_a_service_specific_secret_reads_from_a_file_too(tmp_path, monkeypatch):
    key = tmp_path / "key"
    key.write_text("x" * 43)
    monkeypatch.setenv("DEMO_SIGNING_KEY_FILE", str(key))
    assert FeedbackLike().signing_key.get_secret_value() == "x" * 43
