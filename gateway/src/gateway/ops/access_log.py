"""Add the gateway's view (route, upstream, upstream time, refusal) to the shared JSON access-log line.

The shared RequestContextMiddleware writes one `hues.access` line per request with the request id, account
id (never the token), status and duration; this filter stamps the same line with what only the gateway knows.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class Exchange:
    """What happened to one proxied request, filled in as it goes."""

    route: str
    upstream: str
    upstream_status: int | None = None
    upstream_ms: float | None = None
    attempts: int = 0
    refused: str | None = None  # the problem slug when the gateway answered itself


exchange_var: ContextVar[Exchange | None] = ContextVar("gateway_exchange", default=None)


class ExchangeLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        exchange = exchange_var.get()
        if exchange is not None:
            record.gateway_route = exchange.route
            record.upstream = exchange.upstream
            record.upstream_status = exchange.upstream_status
            record.upstream_ms = exchange.upstream_ms
            record.attempts = exchange.attempts
            if exchange.refused:
                record.refused = exchange.refused
        return True


def install_access_log_filter() -> None:
    """Attach once per process (in the embedded mode the services share the `hues.access` logger)."""
    access = logging.getLogger("hues.access")
    if not any(isinstance(f, ExchangeLogFilter) for f in access.filters):
        access.addFilter(ExchangeLogFilter())
