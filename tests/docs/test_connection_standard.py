"""docs/connection-standard.md names every rule the gateway and the conformance check enforce."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "connection-standard.md").read_text()


def _rules(folder: Path, pattern: str) -> set[str]:
    found: set[str] = set()
    for path in folder.glob("*.py"):
        found |= set(re.findall(pattern, path.read_text()))
    return found


def test_every_gateway_refusal_rule_is_documented() -> None:
    source = ROOT / "gateway" / "src" / "gateway" / "partners"
    rules = _rules(source, r'SignatureRefused\(\s*"([a-z-]+)"') | _rules(source, r'slug="([a-z-]+)"')
    rules |= _rules(source, r'"(application-[a-z]+)"')
    assert len(rules) > 15
    missing = sorted(r for r in rules if f"`{r}`" not in DOC)
    assert not missing, f"undocumented rules: {missing}"


def test_every_conformance_rule_is_documented() -> None:
    rules = _rules(ROOT / "shared" / "src" / "hues_shared", r'BlockedDestination\(\s*"([a-z.-]+)"')
    rules |= _rules(ROOT / "shared" / "src" / "hues_shared", r'return "(url\.[a-z-]+)"')
    rules |= _rules(
        ROOT / "integration-service" / "src" / "integration_service" / "conformance", r'rule="([a-z.-]+)"'
    )
    assert {"url.metadata-address", "webhook.challenge", "openapi.standard"} <= rules
    missing = sorted(r for r in rules if f"`{r}`" not in DOC)
    assert not missing, f"undocumented rules: {missing}"


def test_the_document_is_the_version_the_service_serves() -> None:
    migration = (
        ROOT / "integration-service" / "migrations" / "versions" / "0003_standard_v1_1.py"
    ).read_text()
    assert '"version": "1.1"' in migration
    assert DOC.splitlines()[0].endswith("version 1.1")
