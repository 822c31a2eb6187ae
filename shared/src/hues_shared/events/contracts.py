"""Typed event contracts, registered by CloudEvents type string; defined once, by the producing service."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

C = TypeVar("C", bound="EventContract")
_REGISTRY: dict[str, type[EventContract]] = {}


class EventContract(BaseModel):
    """Base of every event payload: an immutable, past-tense record of something that happened."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_type: ClassVar[str]
    version: ClassVar[int]  # 1 for `hues.<svc>.<aggregate>.<verb>`, N for a `.vN` suffix (N >= 2)
    topic: ClassVar[str]
    key_field: ClassVar[str]
    producer: ClassVar[str]
    description: ClassVar[str]

    def partition_key(self) -> str:
        """Events of one aggregate share a key, so they stay ordered on one partition."""
        return str(getattr(self, self.key_field))


def contract(
    *, type: str, topic: str, key: str, producer: str
) -> Callable[[builtins.type[C]], builtins.type[C]]:
    """Register a contract class under its CloudEvents type; the docstring becomes its catalogue entry."""

    def register(cls: builtins.type[C]) -> builtins.type[C]:
        if type in _REGISTRY and _REGISTRY[type] is not cls:
            raise ValueError(f"event type {type} registered twice")
        if key not in cls.model_fields:
            raise ValueError(f"{cls.__name__}: key field {key!r} is not a field")
        cls.event_type = type
        cls.version = version_of(type)
        cls.topic = topic
        cls.key_field = key
        cls.producer = producer
        cls.description = (cls.__doc__ or "").strip()
        _REGISTRY[type] = cls
        return cls

    return register


def version_of(event_type: str) -> int:
    """`hues.identity.account.registered` is version 1; a breaking change is a new contract whose type
    ends in `.v2` (`hues.identity.account.registered.v2`), published beside v1 while consumers move."""
    last = event_type.rsplit(".", 1)[-1]
    if len(last) > 1 and last[0] == "v" and last[1:].isdigit():
        return int(last[1:])
    return 1


def contract_for(event_type: str) -> type[EventContract] | None:
    return _REGISTRY.get(event_type)


def all_contracts() -> dict[str, type[EventContract]]:
    """Every registered contract (import hues_shared.contracts first to load them all)."""
    import hues_shared.contracts  # noqa: F401  (registers the catalogue)

    return dict(sorted(_REGISTRY.items()))


def decode(event_type: str, data: dict[str, Any]) -> EventContract:
    cls = _REGISTRY.get(event_type)
    if cls is None:
        raise LookupError(f"unknown event type {event_type}")
    return cls.model_validate(data)
