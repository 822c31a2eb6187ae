"""The README's "first five minutes" block, run as written against `hues run` (issue 14, Done when)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import EmbeddedPlatform

pytestmark = pytest.mark.e2e
README = Path(__file__).resolve().parents[2] / "README.md"


def walkthrough() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Your first five minutes", 1)[1]
    (block,) = re.findall(r"```sh\n(.*?)```", section.split("\n## ", 1)[0], flags=re.S)
    return block


def test_the_readme_walkthrough_runs_as_written(embedded_platform: EmbeddedPlatform) -> None:
    script = walkthrough().replace("GW=http://localhost:8000", f"GW={embedded_platform.url('gateway')}", 1)
    assert "GW=http://localhost:8000" not in script, "the walkthrough must start from the gateway's URL"
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, timeout=180, check=False
    )
    assert result.returncode == 0, result.stderr + embedded_platform.log()[-3000:]
    documents, decoder, rest = [], json.JSONDecoder(), result.stdout.strip()
    while rest:  # curl prints each answer without a newline: read them one after another
        document, end = decoder.raw_decode(rest)
        documents.append(document)
        rest = rest[end:].lstrip()
    me, inbox = documents[-2], documents[-1]
    assert me["kind"] == "citizen"
    assert "items" in inbox
