"""Pure-ASGI middleware: request context and access log, the body-size limit, and the management guard."""

from __future__ import annotations

import logging
import time

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hues_shared.context import (
    accept_request_id,
    account_var,
    child_trace,
    request_id_var,
    service_var,
    traceparent_var,
)
from hues_shared.metrics import ServiceMetrics
from hues_shared.net import TrustedProxies, header
from hues_shared.problems import internal_error, problem_response

access_log = logging.getLogger("hues.access")
crash_log = logging.getLogger("hues_shared.problems")


class RequestContextMiddleware:
    """Accept or create the request id and traceparent, echo them, log one JSON line, count metrics."""

    def __init__(self, app: ASGIApp, *, service: str, metrics: ServiceMetrics) -> None:
        self.app = app
        self.service = service
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = accept_request_id(header(scope, b"x-request-id"))
        trace = child_trace(header(scope, b"traceparent"))
        tokens = (
            request_id_var.set(request_id),
            traceparent_var.set(trace.traceparent),
            service_var.set(self.service),
            account_var.set(None),
        )
        status = 500
        started = time.perf_counter()
        self.metrics.in_flight.inc()

        status_sent = False

        async def send_with_context(message: Message) -> None:
            nonlocal status, status_sent
            if message["type"] == "http.response.start":
                status, status_sent = message["status"], True
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                headers.append((b"traceparent", trace.traceparent.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_context)
        except Exception:
            if status_sent:
                raise
            # Answer a crash here, while the request id is still set, so the 500 problem and its
            # log line carry it (Starlette's outermost error handler runs after this context is gone).
            crash_log.exception("unhandled error", extra={"path": scope.get("path")})
            await internal_error(scope)(scope, receive, send_with_context)
        finally:
            elapsed = time.perf_counter() - started
            self.metrics.in_flight.dec()
            route = scope.get("route")
            route_path = getattr(route, "path", None) or "unmatched"
            self.metrics.requests.labels(scope["method"], route_path, str(status)).inc()
            self.metrics.latency.labels(scope["method"], route_path).observe(elapsed)
            access_log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "route": route_path,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                    "client": (scope.get("client") or ("-",))[0],
                    "account_id": account_var.get(),
                },
            )
            for var, token in zip(
                (request_id_var, traceparent_var, service_var, account_var), tokens, strict=True
            ):
                var.reset(token)


class BodySizeLimitMiddleware:
    """Refuse bodies over the limit with 413 problem+json, whether declared or streamed (chunked)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if not response_started:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(
            status=413,
            slug="payload-too-large",
            title="Request body too large",
            detail=f"The body exceeds the limit of {self.max_bytes} bytes.",
            instance=scope.get("path"),
            limit_bytes=self.max_bytes,
        )
        await response(scope, receive, send)


class _BodyTooLarge(HTTPException):
    """Raised from receive(); an HTTPException so FastAPI's body parsing lets it through unchanged."""

    def __init__(self) -> None:
        super().__init__(status_code=413, detail="The request body exceeds the size limit.")


# Operators' endpoints: readiness details (dependencies, upstreams, their addresses) and metrics.
MANAGEMENT_ONLY = frozenset({"/readyz", "/metrics"})
MANAGEMENT_PORT_PATHS = MANAGEMENT_ONLY | {"/healthz"}


class ManagementGuard:
    """Keep /readyz and /metrics off the public side (issue 7, item 15; issue 13, item 8).

    With a management port (`<PREFIX>MANAGEMENT_PORT`, served by the launcher on a second socket) they
    answer only there, and that port answers nothing but /healthz, /readyz and /metrics. Without one,
    they answer only to direct peers in `<PREFIX>MANAGEMENT_ALLOW` (loopback by default; X-Forwarded-For
    is never believed here). Anything refused is a plain 404: the public side does not learn they exist.
    """

    def __init__(self, app: ASGIApp, *, management_port: int | None, allow: TrustedProxies) -> None:
        self.app = app
        self.management_port = management_port
        self.allow = allow

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self._allowed(scope):
            response = problem_response(
                status=404, slug="not-found", title="Not found", detail=None, instance=scope.get("path")
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _allowed(self, scope: Scope) -> bool:
        path = scope["path"]
        if self.management_port is not None:
            server = scope.get("server") or (None, None)
            on_management_port = server[1] == self.management_port
            return path in MANAGEMENT_PORT_PATHS if on_management_port else path not in MANAGEMENT_ONLY
        if path not in MANAGEMENT_ONLY:
            return True
        peer = (scope.get("client") or ("",))[0]
        return self.allow.trusts(str(peer))
