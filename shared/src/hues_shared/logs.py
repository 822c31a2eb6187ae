"""JSON logs that carry the request id, trace id and service of the current context."""

from __future__ import annotations

import logging
import sys

from pythonjsonlogger.json import JsonFormatter

from hues_shared.context import account_var, request_id_var, service_var, trace_id_of, traceparent_var


class ContextFilter(logging.Filter):
    """Stamp every record with the request context so a 3 a.m. grep finds the whole request."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = service_var.get() or getattr(record, "service", None)
        record.request_id = request_id_var.get()
        record.trace_id = trace_id_of(traceparent_var.get())
        record.account_id = account_var.get()
        return True


def configure_logging(*, level: str = "INFO", json_format: bool = True) -> None:
    """Configure the root logger once per process (idempotent)."""
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
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s [%(service)s] %(name)s: %(message)s")
        )
    handler.addFilter(ContextFilter())
    root.addHandler(handler)
    root.setLevel(level.upper())
    for noisy in ("aiokafka", "kafka", "httpx", "httpcore", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
