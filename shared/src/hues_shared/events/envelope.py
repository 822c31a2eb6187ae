"""The CloudEvents 1.0 envelope every event travels in, and its Kafka binary-mode binding."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cloudevents.core.bindings.kafka import KafkaMessage, from_binary_event, to_binary_event
from cloudevents.core.v1.event import CloudEvent

TRACEPARENT_EXTENSION = "traceparent"  # CloudEvents distributed-tracing extension
# The widths of the messaging tables' columns (hues_shared.events.tables): an event whose attributes do
# not fit could be stored neither in the inbox nor as a dead letter, so it is refused when decoded.
ATTRIBUTE_LIMITS = {"id": 36, "type": 200, "source": 200, "key": 200, "subject": 200, "traceparent": 64}


class OversizedAttributeError(ValueError):
    """A CloudEvents attribute is longer than the column that must store it."""


def check_attribute_lengths(envelope: EventEnvelope) -> None:
    for name, limit in ATTRIBUTE_LIMITS.items():
        value = getattr(envelope, name)
        if value is not None and len(value) > limit:
            raise OversizedAttributeError(f"attribute {name} too long ({len(value)} > {limit} characters)")


@dataclass(frozen=True)
class EventEnvelope:
    """One event as it crosses the bus: CloudEvents attributes, the topic, and the partition key."""

    type: str
    source: str
    topic: str
    key: str
    data: dict[str, Any]
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    time: datetime = field(default_factory=lambda: datetime.now(UTC))
    subject: str | None = None
    traceparent: str | None = None

    def to_cloudevent(self) -> CloudEvent:
        attributes: dict[str, Any] = {
            "id": self.id,
            "source": self.source,
            "type": self.type,
            "specversion": "1.0",
            "time": self.time,
            "datacontenttype": "application/json",
            "partitionkey": self.key,
        }
        if self.subject:
            attributes["subject"] = self.subject
        if self.traceparent:
            attributes[TRACEPARENT_EXTENSION] = self.traceparent
        return CloudEvent(attributes, self.data)

    def to_kafka(self) -> KafkaMessage:
        """Binary content mode: attributes in ce_* headers, data in the value, key = aggregate id."""
        return to_binary_event(self.to_cloudevent())

    @classmethod
    def from_kafka(
        cls, *, topic: str, key: bytes | None, value: bytes, headers: list[tuple[str, bytes]]
    ) -> EventEnvelope:
        message = KafkaMessage(headers=dict(headers), key=key, value=value)
        event = from_binary_event(message)
        attributes = event.get_attributes()
        data = event.get_data()
        if isinstance(data, bytes | str):
            data = json.loads(data)
        time = event.get_time() or datetime.now(UTC)
        envelope = cls(
            id=event.get_id(),
            type=event.get_type(),
            source=event.get_source(),
            topic=topic,
            key=str(attributes.get("partitionkey") or ""),
            data=data or {},
            time=time if time.tzinfo else time.replace(tzinfo=UTC),
            subject=event.get_subject(),
            traceparent=attributes.get(TRACEPARENT_EXTENSION),
        )
        check_attribute_lengths(envelope)
        return envelope
