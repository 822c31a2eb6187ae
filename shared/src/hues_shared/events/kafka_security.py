"""How every Kafka client of a service authenticates and encrypts (issue 13 item 6): TLS and SASL.

A managed Kafka (MSK, Confluent Cloud, Aiven, Strimzi with listeners secured) wants TLS with the
provider's CA bundle and SASL SCRAM or PLAIN credentials. The same options go to the relay's producer,
every consumer group, the admin client that creates topics and the revocation feed, so no client is left
talking plaintext. Settings: <PREFIX>KAFKA_SECURITY_PROTOCOL, _SASL_MECHANISM, _SASL_USERNAME,
_SASL_PASSWORD (or _SASL_PASSWORD_FILE), _SSL_CAFILE.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from aiokafka.helpers import create_ssl_context

SecurityProtocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
SaslMechanism = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]


@dataclass(frozen=True)
class KafkaSecurity:
    protocol: SecurityProtocol = "PLAINTEXT"
    sasl_mechanism: SaslMechanism | None = None
    sasl_username: str = ""
    sasl_password: str = ""
    ssl_cafile: str | None = None

    def __post_init__(self) -> None:
        if self.protocol.startswith("SASL_") and not (
            self.sasl_mechanism and self.sasl_username and self.sasl_password
        ):
            raise ValueError(
                f"KAFKA_SECURITY_PROTOCOL={self.protocol} needs KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME "
                "and KAFKA_SASL_PASSWORD"
            )
        if self.ssl_cafile and not self.uses_tls:
            raise ValueError(
                "KAFKA_SSL_CAFILE is set but KAFKA_SECURITY_PROTOCOL has no TLS (SSL or SASL_SSL)"
            )

    @property
    def uses_tls(self) -> bool:
        return self.protocol in ("SSL", "SASL_SSL")

    def client_options(self) -> dict[str, Any]:
        """Keyword arguments for AIOKafkaProducer, AIOKafkaConsumer and AIOKafkaAdminClient."""
        options: dict[str, Any] = {"security_protocol": self.protocol}
        if self.uses_tls:
            # The provider's CA bundle, or the system's trusted CAs when none is given; hostnames checked.
            options["ssl_context"] = create_ssl_context(cafile=self.ssl_cafile)
        if self.protocol.startswith("SASL_"):
            options.update(
                sasl_mechanism=self.sasl_mechanism,
                sasl_plain_username=self.sasl_username,
                sasl_plain_password=self.sasl_password,
            )
        return options
