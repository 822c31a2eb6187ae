"""TLS and SASL settings reach every Kafka client (issue 13 item 6), so a managed Kafka can be used."""

from __future__ import annotations

import ssl

import pytest
from pydantic import ValidationError

from hues_shared.events.kafka import KafkaBus
from hues_shared.events.kafka_security import KafkaSecurity
from hues_shared.settings import ServiceSettings
from hues_shared.testing.infrastructure import TansuBroker


class DemoSettings(ServiceSettings):
    model_config = {**ServiceSettings.model_config, "env_prefix": "DEMO_"}


def test_sasl_over_tls_gives_every_client_the_credentials_and_a_verifying_tls_context() -> None:
    options = KafkaSecurity(
        protocol="SASL_SSL", sasl_mechanism="SCRAM-SHA-512", sasl_username="feedback", sasl_password="s3cret"
    ).client_options()
    assert options["security_protocol"] == "SASL_SSL"
    assert (options["sasl_mechanism"], options["sasl_plain_username"], options["sasl_plain_password"]) == (
        "SCRAM-SHA-512",
        "feedback",
        "s3cret",
    )
    context = options["ssl_context"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


def test_plaintext_adds_nothing_but_the_protocol() -> None:
    assert KafkaSecurity().client_options() == {"security_protocol": "PLAINTEXT"}


@pytest.mark.parametrize(
    "missing", ["DEMO_KAFKA_SASL_MECHANISM", "DEMO_KAFKA_SASL_USERNAME", "DEMO_KAFKA_SASL_PASSWORD"]
)
def test_sasl_without_its_credentials_refuses_to_start(missing: str, monkeypatch: pytest.MonkeyPatch) -> None:
    env = {
        "DEMO_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
        "DEMO_KAFKA_SASL_MECHANISM": "SCRAM-SHA-256",
        "DEMO_KAFKA_SASL_USERNAME": "svc",
        "DEMO_KAFKA_SASL_PASSWORD": "pw",
    }
    del env[missing]
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match="needs KAFKA_SASL_MECHANISM"):
        DemoSettings()


def test_the_sasl_password_can_come_from_a_mounted_secret(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "kafka-password"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("DEMO_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("DEMO_KAFKA_SASL_MECHANISM", "PLAIN")
    monkeypatch.setenv("DEMO_KAFKA_SASL_USERNAME", "svc")
    monkeypatch.setenv("DEMO_KAFKA_SASL_PASSWORD_FILE", str(secret))
    assert DemoSettings().kafka_security().client_options()["sasl_plain_password"] == "from-a-file"


@pytest.mark.kafka
async def test_a_bus_with_tls_required_does_not_fall_back_to_plaintext(kafka_broker: TansuBroker) -> None:
    """The options really reach the producer: a plaintext-only broker refuses a TLS client."""
    plain = KafkaBus(bootstrap_servers=kafka_broker.bootstrap, client_id="plain", idempotent_producer=False)
    tls = KafkaBus(
        bootstrap_servers=kafka_broker.bootstrap,
        client_id="tls",
        idempotent_producer=False,
        request_timeout_ms=2_000,
        security=KafkaSecurity(protocol="SSL"),
    )
    try:
        await plain.ping()
        with pytest.raises(Exception):  # noqa: B017 - aiokafka raises a connection or timeout error
            await tls.ping()
    finally:
        await plain.stop()
        await tls.stop()
