"""Per-request context (request id, W3C trace context, service) carried in contextvars for logs and events."""

from __future__ import annotations

import re
import secrets
import uuid
from contextvars import ContextVar
from dataclasses import dataclass

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
traceparent_var: ContextVar[str | None] = ContextVar("traceparent", default=None)
service_var: ContextVar[str | None] = ContextVar("service", default=None)
account_var: ContextVar[str | None] = ContextVar("account_id", default=None)

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
# W3C Trace Context, section 3.2: version-traceid-parentid-flags, all lower-case hex.
_TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")


def accept_request_id(value: str | None) -> str:
    """Keep a caller's request id when it is safe to log, otherwise mint one."""
    if value and _REQUEST_ID.match(value):
        return value
    return uuid.uuid4().hex


@dataclass(frozen=True)
class TraceContext:
    trace_id: str
    span_id: str
    flags: str = "01"

    @property
    def traceparent(self) -> str:
        return f"00-{self.trace_id}-{self.span_id}-{self.flags}"


def child_trace(traceparent: str | None) -> TraceContext:
    """Continue an incoming trace with a new span for this hop, or start a new trace."""
    if traceparent:
        match = _TRACEPARENT.match(traceparent.strip())
        if match and match.group(1) != "ff" and set(match.group(2)) != {"0"} and set(match.group(3)) != {"0"}:
            return TraceContext(match.group(2), secrets.token_hex(8), match.group(4))
    return TraceContext(secrets.token_hex(16), secrets.token_hex(8))


def trace_id_of(traceparent: str | None) -> str | None:
    if traceparent:
        match = _TRACEPARENT.match(traceparent)
        if match:
            return match.group(2)
    return None


def outgoing_headers() -> dict[str, str]:
    """Headers that carry the current request id and trace to the next hop (HTTP calls to other systems)."""
    headers: dict[str, str] = {}
    request_id = request_id_var.get()
    if request_id:
        headers["X-Request-ID"] = request_id
    traceparent = traceparent_var.get()
    if traceparent:
        headers["traceparent"] = traceparent
    return headers
