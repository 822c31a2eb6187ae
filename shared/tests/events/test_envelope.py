"""CloudEvents 1.0 in Kafka binary mode: attributes in ce_* headers, data in the value, key = aggregate id."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from cloudevents.core.bindings.kafka import KafkaMessage, from_binary_event, to_binary_event

from hues_shared.events.envelope import EventEnvelope, OversizedAttributeError

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def sample(**overrides: object) -> EventEnvelope:
    values: dict[str, object] = {
        "type": "hues.feedback.report.submitted",
        "source": "/hues/feedback-service",
        "topic": "feedback.report",
        "key": "report-42",
        "data": {"report_id": "report-42", "title": "Đèn đường hỏng"},
        "time": datetime(2025, 7, 1, 8, 30, 15, 123000, tzinfo=UTC),
        "subject": "report-42",
        "traceparent": TRACEPARENT,
    }
    values.update(overrides)
    return EventEnvelope(**values)  # type: ignore[arg-type]


def test_binary_mode_puts_attributes_in_ce_headers() -> None:
    envelope = sample()
    message = envelope.to_kafka()
    headers = {k: v.decode() for k, v in message.headers.items()}
    assert headers["ce_id"] == envelope.id
    assert headers["ce_specversion"] == "1.0"
    assert headers["ce_type"] == "hues.feedback.report.submitted"
    assert headers["ce_source"] == "/hues/feedback-service"
    assert headers["ce_subject"] == "report-42"
    assert headers["ce_traceparent"] == TRACEPARENT
    assert headers["ce_time"].startswith("2025-07-01T08:30:15.123")
    assert headers["content-type"] == "application/json"


def test_key_is_the_aggregate_id_and_value_is_the_json_data() -> None:
    message = sample().to_kafka()
    assert message.key == "report-42"
    assert json.loads(message.value) == {"report_id": "report-42", "title": "Đèn đường hỏng"}


def test_round_trip_through_kafka_message_keeps_every_attribute() -> None:
    envelope = sample()
    message = envelope.to_kafka()
    key = message.key.encode() if isinstance(message.key, str) else message.key
    back = EventEnvelope.from_kafka(
        topic="feedback.report", key=key, value=message.value, headers=list(message.headers.items())
    )
    assert back == envelope
    assert back.time.tzinfo is not None


def test_optional_attributes_may_be_absent() -> None:
    envelope = sample(subject=None, traceparent=None)
    headers = envelope.to_kafka().headers
    assert "ce_subject" not in headers and "ce_traceparent" not in headers
    message = envelope.to_kafka()
    back = EventEnvelope.from_kafka(
        topic=envelope.topic, key=None, value=message.value, headers=list(headers.items())
    )
    assert back.subject is None and back.traceparent is None and back.key == "report-42"


def test_message_without_cloudevents_headers_is_refused() -> None:
    with pytest.raises(Exception):  # noqa: B017  (the binding's own error type is an implementation detail)
        EventEnvelope.from_kafka(
            topic="t", key=b"k", value=b"{}", headers=[("content-type", b"application/json")]
        )


def test_each_envelope_gets_a_unique_id_and_utc_time() -> None:
    first, second = sample(), sample()
    assert first.id != second.id
    fresh = EventEnvelope(type="t", source="/s", topic="t", key="k", data={})
    assert fresh.time.utcoffset() is not None and fresh.time.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


@pytest.mark.parametrize("attribute", ["id", "type", "source", "key", "subject"])
def test_attribute_longer_than_its_column_is_refused_on_decode(attribute: str) -> None:
    envelope = sample(**{attribute: "x" * 301})
    message = envelope.to_kafka()
    key = message.key.encode() if isinstance(message.key, str) else message.key
    with pytest.raises(OversizedAttributeError, match=f"{attribute} too long"):
        EventEnvelope.from_kafka(
            topic=envelope.topic, key=key, value=message.value, headers=list(message.headers.items())
        )


def test_the_cloudevents_sdk_reads_what_the_direct_mapping_writes() -> None:
    envelope = sample()
    record = envelope.to_kafka()
    event = from_binary_event(
        KafkaMessage(headers=record.headers, key=record.key.encode(), value=record.value)
    )
    assert event.get_id() == envelope.id and event.get_type() == envelope.type
    assert event.get_source() == envelope.source and event.get_subject() == envelope.subject
    assert event.get_time() == envelope.time
    assert event.get_attributes()["traceparent"] == TRACEPARENT
    assert event.get_attributes()["partitionkey"] == envelope.key
    assert event.get_data() == envelope.data


def test_the_direct_mapping_reads_what_the_cloudevents_sdk_writes() -> None:
    envelope = sample()
    message = to_binary_event(envelope.to_cloudevent())
    key = message.key.encode() if isinstance(message.key, str) else message.key
    back = EventEnvelope.from_kafka(
        topic=envelope.topic, key=key, value=message.value, headers=list(message.headers.items())
    )
    assert back == envelope
