"""Logs that carry the request id, trace id and app of the current context, as JSON or readable text.

Every line names its app (`service`): inside a request from the request context, elsewhere (start-up,
migrations, uvicorn) from the app the launcher set for the task, or the process default given here.
Text access lines read `GET /v1/x 200 12.3ms` (issue 14, item 12). The access log can be quiet: only
errors (status >= 400) and slow requests, for the console of `make run`.

Environment (read by the `hues` launcher): HUES_LOG_JSON=true|false, HUES_LOG_LEVEL=DEBUG|INFO|...,
HUES_ACCESS_LOG=all|quiet|off, HUES_SLOW_MS (quiet mode's threshold, default 1000).
"""

from __future__ import annotations

import logging
import sys
from typing import Literal

from pythonjsonlogger.json import JsonFormatter

from hues_shared.context import account_var, request_id_var, service_var, trace_id_of, traceparent_var

AccessLog = Literal["all", "quiet", "off"]
ACCESS_LOGGER = "hues.access"
# Gateway extras (gateway/ops/access_log.py) shown on text access lines when present.
_ACCESS_EXTRAS = ("upstream", "upstream_status", "upstream_ms", "attempts", "refused")


class ContextFilter(logging.Filter):
    """Stamp every record with the request context so a 3 a.m. grep finds the whole request."""

    def __init__(self, default_app: str | None = None) -> None:
        super().__init__()
        self.default_app = default_app

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = service_var.get() or getattr(record, "service", None) or self.default_app or "hues"
        record.request_id = request_id_var.get()
        record.trace_id = trace_id_of(traceparent_var.get())
        record.account_id = account_var.get()
        if hasattr(record, "color_message"):  # uvicorn's ANSI-coloured copy of the message
            del record.color_message
        return True


class AccessSampler(logging.Filter):
    """Quiet mode: keep access lines of errors and slow requests only."""

    def __init__(self, mode: AccessLog, *, slow_ms: float) -> None:
        super().__init__()
        self.mode = mode
        self.slow_ms = slow_ms

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name != ACCESS_LOGGER or self.mode == "all":
            return True
        if self.mode == "off":
            return False
        status = int(getattr(record, "status", 0) or 0)
        return status >= 400 or float(getattr(record, "duration_ms", 0) or 0) >= self.slow_ms


class TextFormatter(logging.Formatter):
    """`time LEVEL [app] logger: message`; access lines spell out method, path, status and duration."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s [%(service)s] %(name)s: %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:
        if record.name == ACCESS_LOGGER and hasattr(record, "status"):
            fields = record.__dict__
            line = f"{fields['method']} {fields['path']} {fields['status']} {fields['duration_ms']}ms"
            extras = [f"{name}={fields[name]}" for name in _ACCESS_EXTRAS if fields.get(name)]
            for name, label in (("account_id", "account"), ("request_id", "request_id")):
                if fields.get(name):
                    extras.append(f"{label}={fields[name]}")
            record.message = " ".join([line, *extras])
        return super().formatMessage(record)


def configure_logging(
    *,
    level: str = "INFO",
    json_format: bool = True,
    app: str | None = None,
    access: AccessLog = "all",
    slow_ms: float = 1000.0,
) -> None:
    """Configure the root logger once per process (idempotent); `app` names lines outside any app context."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_hues", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stdout)
    handler._hues = True  # type: ignore[attr-defined]
    if json_format:
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s %(service)s %(request_id)s %(trace_id)s",
                rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(TextFormatter())
    handler.addFilter(ContextFilter(app))
    handler.addFilter(AccessSampler(access, slow_ms=slow_ms))
    root.addHandler(handler)
    root.setLevel(level.upper())
    for noisy in ("aiokafka", "kafka", "httpx", "httpcore", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # uvicorn and alembic install their own handlers; route their lines through ours (one format, app named).
    for name in ("uvicorn", "uvicorn.error", "alembic"):
        other = logging.getLogger(name)
        other.handlers.clear()
        other.propagate = True
        other.setLevel(logging.NOTSET)  # an earlier uvicorn.Config(log_level=...) must not silence them
