"""docs/events.md is generated from the contracts; it must match them (docs/architecture.md, "Events")."""

from pathlib import Path

from hues_launcher.event_catalogue import render_catalogue
from hues_shared.events.contracts import all_contracts

DOC = Path(__file__).resolve().parents[2] / "docs" / "events.md"


def test_event_catalogue_matches_the_contracts() -> None:
    assert DOC.read_text() == render_catalogue(), "docs/events.md is stale: run `make docs`"


def test_every_contract_is_past_tense_with_a_namespaced_type() -> None:
    for event_type, cls in all_contracts().items():
        assert event_type.startswith("hues."), event_type
        assert cls.description, f"{cls.__name__} needs a docstring saying when it is emitted"
        assert cls.__name__.endswith(("ed", "Expiring")), cls.__name__  # PasswordExpiring: a reminder
