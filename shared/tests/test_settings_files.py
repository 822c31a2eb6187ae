"""Secrets as files (`<PREFIX><FIELD>_FILE`), the way compose `secrets:` and Kubernetes mount them."""

from pydantic import SecretStr

from hues_shared.settings import ServiceSettings


class DemoSettings(ServiceSettings):
    model_config = {**ServiceSettings.model_config, "env_prefix": "DEMO_"}
    signing_key: SecretStr = SecretStr("development")


def test_a_setting_is_read_from_the_file_its_file_variable_names(tmp_path, monkeypatch):
    secret = tmp_path / "db_url"
    secret.write_text("postgresql+asyncpg://demo_app:s3cret@db:5432/demo\n")
    monkeypatch.setenv("DEMO_DATABASE_URL_FILE", str(secret))
    assert DemoSettings().database_url == "postgresql+asyncpg://demo_app:s3cret@db:5432/demo"


def test_the_plain_variable_wins_over_the_file(tmp_path, monkeypatch):
    secret = tmp_path / "db_url"
    secret.write_text("from-file")
    monkeypatch.setenv("DEMO_DATABASE_URL_FILE", str(secret))
    monkeypatch.setenv("DEMO_DATABASE_URL", "sqlite+aiosqlite:///from-env.db")
    assert DemoSettings().database_url == "sqlite+aiosqlite:///from-env.db"


def test_a_secret_setting_reads_from_a_file_too(tmp_path, monkeypatch):
    key = tmp_path / "key"
    key.write_text("x" * 43)
    monkeypatch.setenv("DEMO_SIGNING_KEY_FILE", str(key))
    assert DemoSettings().signing_key.get_secret_value() == "x" * 43
