"""Renders docs/events.md from the contracts and every service's subscriptions, so the two cannot drift."""

from __future__ import annotations

import importlib

from hues_launcher.registry import SERVICES
from hues_shared.events.consumer import EventHandlers
from hues_shared.events.contracts import all_contracts

HEADER = """# Event catalogue

Generated from the contracts in `shared/src/hues_shared/contracts/` and each service's
`events/handlers.py` by `make docs`; a test fails when this page and the code disagree.

Envelope: CloudEvents 1.0 in Kafka binary mode (`ce_*` headers, JSON data, key = aggregate id).
Topics are per aggregate; each consuming service reads with its own consumer group.
Changes are additive; a breaking change is a new type with a new version suffix.

Versions: a type without suffix is version 1; a breaking change is a new contract on the same topic
whose type ends in `.v2` (`hues.identity.account.registered.v2`). Roll-out: (1) the producer records
both the v1 and the v2 event in the same transaction; (2) each consumer moves its handler from v1 to
v2 (the inbox keys on event id, so handling both would act twice: handle one of them); (3) once no
consumer lists v1 below, the producer stops recording it and the v1 contract is deleted. A consumer
that receives a type it does not know counts it (`events_handled_total{outcome="unknown_type"}`),
logs it and does not record it as handled, so deploying the handler and replaying still works.

Delivery: at-least-once, handled effectively once (each group's inbox), per-key order equal to the
producers' commit order; see docs/architecture.md, "Delivery guarantees", for what each mode promises
and what an operator does with dead letters.
"""


def consumers_by_type() -> dict[str, list[str]]:
    consumers: dict[str, list[str]] = {}
    for name in SERVICES:
        try:
            module = importlib.import_module(f"{name}_service.events.handlers")
        except ModuleNotFoundError:
            continue
        handlers = getattr(module, "handlers", None)
        if isinstance(handlers, EventHandlers):
            for event_type in handlers.event_types:
                consumers.setdefault(event_type, []).append(f"{name}-service")
    from hues_shared.auth.revocations import HANDLED as revocation_types

    for event_type in sorted(revocation_types):  # every process, no consumer group (token denylist)
        consumers.setdefault(event_type, []).append("gateway and every service (denylist)")
    return consumers


def render_catalogue() -> str:
    consumers = consumers_by_type()
    lines = [HEADER]
    by_topic: dict[str, list[str]] = {}
    for event_type, cls in all_contracts().items():
        by_topic.setdefault(cls.topic, []).append(event_type)
    for topic in sorted(by_topic):
        lines.append(f"## Topic `{topic}`\n")
        lines.append("| type | contract | producer | key | consumers | meaning |")
        lines.append("|---|---|---|---|---|---|")
        for event_type in by_topic[topic]:
            cls = all_contracts()[event_type]
            who = ", ".join(sorted(consumers.get(event_type, []))) or "—"
            meaning = cls.description.replace("\n", " ").replace("|", "\\|")
            cells = [f"`{event_type}`", f"`{cls.__name__}`", cls.producer, f"`{cls.key_field}`", who, meaning]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
        for event_type in by_topic[topic]:
            cls = all_contracts()[event_type]
            fields = ", ".join(f"`{name}`" for name in cls.model_fields)
            lines.append(f"- `{cls.__name__}` fields: {fields}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    print(render_catalogue(), end="")


if __name__ == "__main__":
    main()
