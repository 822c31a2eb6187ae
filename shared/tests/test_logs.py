"""Issue 14, item 12: useful text access lines, every line names its app, a quiet mode, clean JSON."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator

import pytest

from hues_shared.logs import configure_logging
from hues_shared.testing.apps import RunningService


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


async def test_text_access_line_carries_method_path_status_and_duration(
    lab_service: RunningService, capsys: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    configure_logging(json_format=False)
    await lab_service.client.get("/v1/lab/items")
    lines = [line for line in capsys.readouterr().out.splitlines() if "hues.access" in line]
    assert len(lines) == 1
    assert re.search(
        r"INFO \[lab-service\] hues.access: GET /v1/lab/items 200 [0-9.]+ms request_id=\w+", lines[0]
    ), lines


def test_lines_outside_a_request_name_their_app(
    capsys: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    configure_logging(json_format=False, app="catalog")
    logging.getLogger("alembic.runtime.migration").info("Running upgrade -> 0001")
    logging.getLogger("uvicorn.error").info("Application startup complete.")
    out = capsys.readouterr().out
    assert "[None]" not in out
    assert out.count("[catalog]") == 2


async def test_quiet_access_log_keeps_errors_and_slow_requests_only(
    lab_service: RunningService, capsys: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    configure_logging(json_format=False, access="quiet", slow_ms=10_000)
    await lab_service.client.get("/v1/lab/items")
    await lab_service.client.get("/v1/lab/items/999999")
    lines = [line for line in capsys.readouterr().out.splitlines() if "hues.access" in line]
    assert len(lines) == 1 and " 404 " in lines[0]
    configure_logging(json_format=False, access="quiet", slow_ms=0)  # everything counts as slow now
    await lab_service.client.get("/v1/lab/items")
    assert " 200 " in capsys.readouterr().out


def test_json_lines_drop_uvicorns_color_message(
    capsys: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    configure_logging(json_format=True, app="gateway")
    logging.getLogger("uvicorn.error").info(
        "Uvicorn running on %s", "http://127.0.0.1:8000", extra={"color_message": "\x1b[1mUvicorn\x1b[0m"}
    )
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert "color_message" not in line
    assert line["service"] == "gateway"
    assert line["message"] == "Uvicorn running on http://127.0.0.1:8000"
