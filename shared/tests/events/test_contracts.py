"""Typed contracts: registered once by type string, keyed by aggregate, additive, and catalogued."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from hues_shared.contracts.identity import AccountRegistered
from hues_shared.events import contracts as registry
from hues_shared.events.contracts import EventContract, all_contracts, contract, contract_for, decode


@pytest.fixture
def scratch_registry() -> Iterator[None]:
    """Contracts defined by a test are removed again so the platform catalogue stays exact."""
    before = dict(registry._REGISTRY)
    yield
    registry._REGISTRY.clear()
    registry._REGISTRY.update(before)


def test_contract_is_registered_under_its_type(scratch_registry: None) -> None:
    @contract(type="hues.test.thing.happened", topic="test.thing", key="thing_id", producer="test")
    class ThingHappened(EventContract):
        """A thing happened."""

        thing_id: str

    assert contract_for("hues.test.thing.happened") is ThingHappened
    assert (ThingHappened.topic, ThingHappened.producer, ThingHappened.description) == (
        "test.thing",
        "test",
        "A thing happened.",
    )
    assert ThingHappened(thing_id="t-1").partition_key() == "t-1"


def test_same_type_cannot_be_registered_twice(scratch_registry: None) -> None:
    @contract(type="hues.test.dup.happened", topic="test.dup", key="dup_id", producer="test")
    class First(EventContract):
        dup_id: str

    with pytest.raises(ValueError, match="registered twice"):

        @contract(type="hues.test.dup.happened", topic="test.dup", key="dup_id", producer="test")
        class Second(EventContract):
            dup_id: str


def test_key_must_be_a_field(scratch_registry: None) -> None:
    with pytest.raises(ValueError, match="not a field"):

        @contract(type="hues.test.bad.happened", topic="test.bad", key="missing", producer="test")
        class Bad(EventContract):
            other: str


def test_decode_builds_the_typed_event_and_ignores_unknown_fields() -> None:
    data = {
        "account_id": "a-1",
        "kind": "citizen",
        "display_name": "Nguyễn Văn A",
        "registered_at": "2025-07-01T08:00:00+07:00",
        "added_in_a_later_version": True,  # additive changes must not break older consumers
    }
    event = decode(AccountRegistered.event_type, data)
    assert isinstance(event, AccountRegistered)
    assert event.registered_at == datetime(2025, 7, 1, 1, 0, tzinfo=UTC)
    assert event.partition_key() == "a-1"


def test_decode_of_unknown_type_fails() -> None:
    with pytest.raises(LookupError):
        decode("hues.nobody.nothing.happened", {})


def test_events_are_immutable() -> None:
    event = AccountRegistered(
        account_id="a", kind="citizen", display_name="A", registered_at=datetime.now(UTC)
    )
    with pytest.raises(Exception):  # noqa: B017
        event.account_id = "b"  # type: ignore[misc]


def test_catalogue_follows_the_naming_rules() -> None:
    catalogue = all_contracts()
    assert catalogue, "the shared contracts register at least identity's events"
    for event_type, cls in catalogue.items():
        parts = event_type.split(".")
        assert parts[0] == "hues" and len(parts) in (4, 5), event_type
        if len(parts) == 5:  # a later version: hues.<svc>.<aggregate>.<verb>.v<N>, N >= 2
            assert re.fullmatch(r"v([2-9]|[1-9]\d+)", parts[4]), event_type
        assert all(re.fullmatch(r"[a-z][a-z_]*", part) for part in parts[:4]), event_type
        assert cls.version == (int(parts[4][1:]) if len(parts) == 5 else 1)
        assert cls.topic.startswith(f"{parts[1]}."), event_type  # the producer's own topics
        assert cls.producer.startswith(parts[1]), event_type
        assert cls.description, f"{event_type} needs a docstring for the catalogue"
        assert cls.key_field in cls.model_fields
    assert "hues.lab.item.recorded" not in catalogue  # the test-only lab contract stays out


def test_a_second_version_is_its_own_contract_beside_the_first(scratch_registry: None) -> None:
    """Fault 6: a breaking change is a new type with a version suffix; both versions coexist while
    the producer publishes both and consumers move from v1 to v2."""

    @contract(type="hues.test.thing.happened", topic="test.thing", key="thing_id", producer="test-service")
    class ThingHappened(EventContract):
        """v1"""

        thing_id: str

    @contract(type="hues.test.thing.happened.v2", topic="test.thing", key="thing_id", producer="test-service")
    class ThingHappenedV2(EventContract):
        """v2: the payload changed incompatibly."""

        thing_id: str
        where: str

    assert (ThingHappened.version, ThingHappenedV2.version) == (1, 2)
    assert contract_for("hues.test.thing.happened") is ThingHappened
    assert contract_for("hues.test.thing.happened.v2") is ThingHappenedV2
    assert ThingHappenedV2.topic == ThingHappened.topic  # same stream, so per-key order spans both
