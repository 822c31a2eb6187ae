"""The forwarding core: match, authorize, limit, guard the upstream, forward, stream the answer back."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.config import GatewaySettings
from gateway.ops.access_log import Exchange, exchange_var
from gateway.ops.metrics import GatewayMetrics
from gateway.policies.access import AccessPolicy
from gateway.policies.machine import SignedRequest
from gateway.proxy.body import BodyPace, ClientDisconnected, RequestBody, read_request_body
from gateway.proxy.headers import (
    TrustedProxies,
    client_address,
    downstream_response_headers,
    header,
    upstream_request_headers,
)
from gateway.proxy.problems import (
    MAX_PROBLEM_BYTES,
    declared_length,
    is_problem,
    replace_length,
    with_public_instance,
)
from gateway.proxy.transports import UpstreamError, UpstreamResponse, UpstreamTransport
from gateway.ratelimit.limiter import RateLimiter, identifiers_in, rate_limited
from gateway.resilience.breaker import CircuitBreaker, CircuitOpen
from gateway.resilience.bulkhead import Bulkhead
from gateway.resilience.retry import backoff_seconds, may_retry
from gateway.routing.matcher import NoRoute, RouteMatch, RouteMatcher
from gateway.routing.paths import UnsafePath, check_path, encode_path, encode_query
from gateway.routing.table import Route
from hues_shared.context import account_var, request_id_var, traceparent_var
from hues_shared.problems import ProblemError, ServiceUnavailable, problem_response

logger = logging.getLogger(__name__)
FAILURE_STATUSES = frozenset({502, 503, 504})


@dataclass(frozen=True)
class RouteLabel:
    """Put in scope["route"], so the shared middleware labels its metrics with the route, not the raw path."""

    path: str


@dataclass
class Upstream:
    name: str  # as the route table names it: identity, feedback, ...
    base_url: str
    breaker: CircuitBreaker
    bulkhead: Bulkhead

    @property
    def service(self) -> str:
        """The name problems show clients: the service, never its address."""
        return f"{self.name}-service"


class GatewayProxy:
    """ASGI middleware: requests the route table matches are proxied; everything else reaches `app`
    (the gateway's own endpoints, and the 404 problem for unknown paths)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        settings: GatewaySettings,
        matcher: RouteMatcher,
        access: AccessPolicy,
        limiter: RateLimiter,
        upstreams: dict[str, Upstream],
        transport: UpstreamTransport,
        metrics: GatewayMetrics,
    ) -> None:
        self.app = app
        self.settings = settings
        self.matcher = matcher
        self.access = access
        self.limiter = limiter
        self.upstreams = upstreams
        self.transport = transport
        self.metrics = metrics
        self.trusted = TrustedProxies(settings.trusted_proxies)
        self.in_flight = Bulkhead(settings.max_in_flight)
        self.pace = BodyPace(
            idle_seconds=settings.client_body_idle_seconds,
            min_bytes_per_second=settings.client_body_min_bytes_per_second,
            grace_seconds=settings.client_body_grace_seconds,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            check_path(scope["path"], scope.get("raw_path"))
        except UnsafePath as unsafe:
            # Before any route, token or limit is looked at: a path with two readings has no policy.
            response = problem_response(
                status=400,
                slug="unsafe-path",
                title="Ambiguous request path",
                detail=f"The path is refused because it contains {unsafe}; send the path without it.",
            )
            await response(scope, receive, send)
            return
        try:
            match = self.matcher.match(scope["method"], scope["path"])
        except NoRoute as miss:
            if not miss.allowed:
                await self.app(scope, receive, send)
                return
            response = problem_response(
                status=405,
                slug="method-not-allowed",
                title="Method Not Allowed",
                instance=scope["path"],
                headers={"Allow": ", ".join(sorted(miss.allowed))},
            )
            await response(scope, receive, send)
            return
        route = match.route
        scope["route"] = RouteLabel(route.public)
        exchange = Exchange(route=route.name, upstream=route.upstream)
        exchange_var.set(exchange)
        started = time.perf_counter()
        status = 500
        state = {"started": False}

        async def tracking_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                state["started"] = True
            await send(message)

        try:
            await self._forward(scope, receive, tracking_send, match, exchange)
        except ProblemError as problem:
            exchange.refused = problem.slug
            self.metrics.refused.labels(route.name, problem.slug).inc()
            if not state["started"]:
                response = problem_response(
                    status=problem.status,
                    slug=problem.slug,
                    title=problem.title,
                    detail=problem.detail,
                    instance=scope["path"],
                    headers=problem.headers,
                    **problem.extensions,
                )
                await response(scope, receive, tracking_send)
        except ClientDisconnected:
            status = 499  # nginx's convention for "client closed the request"
        finally:
            self.metrics.observe_request(route.name, route.upstream, status, time.perf_counter() - started)

    async def _forward(
        self, scope: Scope, receive: Receive, send: Send, match: RouteMatch, exchange: Exchange
    ) -> None:
        route = match.route
        upstream = self.upstreams[route.upstream]
        address, forwarded_for = client_address(scope, self.trusted)
        caller = await self.access.authorize(
            route,
            authorization=header(scope, b"authorization"),
            signed_request=lambda: self._signed_request(scope),
        )
        if caller.account_id is not None:
            account_var.set(caller.account_id)
        # Read (small bodies whole) before taking any in-flight slot: a slow client holds none. Routes
        # limited per identifier (login name, phone) need it before the limit check too.
        fields = self.limiter.identifier_fields(route)
        body = None
        if fields:
            body = await self._read_body(scope, receive, route)
        identifiers = (
            identifiers_in(body.content, header(scope, b"content-type"), fields)
            if body is not None and isinstance(body.content, bytes)  # a streamed body is no login form
            else {}
        )
        limit = await self.limiter.check(route, caller=caller, address=address, identifiers=identifiers)
        if not limit.allowed:
            raise rate_limited(limit.retry_after or 1, limit.headers)
        if body is None:
            body = await self._read_body(scope, receive, route)
        if not self.in_flight.try_enter():
            raise ServiceUnavailable(
                "The gateway is at capacity; retry shortly.",
                slug="gateway-overloaded",
                headers={"Retry-After": "1"},
            )
        try:
            if not upstream.bulkhead.try_enter():
                raise _unavailable(upstream.service, "has too many requests in progress", retry_after=1)
            try:
                response = await self._send_upstream(scope, match, upstream, body, forwarded_for, exchange)
            finally:
                upstream.bulkhead.leave()
            await self.limiter.settle(route, limit, response.status)
            public_path = scope["path"] if scope["method"] != "HEAD" else None  # HEAD: no body to rewrite
            await self._stream_back(send, response, extra_headers=limit.headers, public_path=public_path)
        finally:
            self.in_flight.leave()

    async def _read_body(self, scope: Scope, receive: Receive, route: Route) -> RequestBody:
        return await read_request_body(
            scope,
            receive,
            limit=route.max_body_bytes,
            buffer_up_to=self.settings.buffer_body_bytes,
            pace=self.pace,
        )

    async def _send_upstream(
        self,
        scope: Scope,
        match: RouteMatch,
        upstream: Upstream,
        body: RequestBody,
        forwarded_for: list[str],
        exchange: Exchange,
    ) -> UpstreamResponse:
        """One call, or a few with jittered backoff when the method is idempotent and the route allows it."""
        route = match.route
        method = scope["method"]
        query = scope.get("query_string", b"")
        url = (
            upstream.base_url
            + encode_path(match.upstream_path)
            + ("?" + encode_query(query) if query else "")
        )
        headers = upstream_request_headers(
            scope,
            request_id=request_id_var.get() or "",
            traceparent=traceparent_var.get(),
            forwarded_for=forwarded_for,
            proto=self._proto(scope),
            host=header(scope, b"host"),
        )
        attempts = (
            self.settings.retry_attempts
            if may_retry(method, route_retry_safe=route.retry_safe, body_replayable=body.replayable)
            else 1
        )
        # The breaker counts failed requests (after their retries), not attempts; one probe when half-open.
        # Only the upstream's faults count (not reachable, no response head in time after the body was
        # sent, 502/503/504): a client that is too slow, too large or gone is abandoned, not a failure.
        try:
            upstream.breaker.before_call()
        except CircuitOpen as exc:
            raise _unavailable(upstream.service, "is unavailable", retry_after=exc.retry_after) from exc
        try:
            response = await self._attempt(method, url, headers, route, upstream, body, attempts, exchange)
        except BaseException as exc:
            if body.failure is not None:
                upstream.breaker.record_abandoned()
                if exc is body.failure:
                    raise
                raise body.failure from exc
            if isinstance(exc, ProblemError):
                upstream.breaker.record_failure()
            else:
                upstream.breaker.record_abandoned()
            raise
        if response.status in FAILURE_STATUSES:
            upstream.breaker.record_failure()
        else:
            upstream.breaker.record_success()
        return response

    async def _attempt(
        self,
        method: str,
        url: str,
        headers: list[tuple[str, str]],
        route: Route,
        upstream: Upstream,
        body: RequestBody,
        attempts: int,
        exchange: Exchange,
    ) -> UpstreamResponse:
        """Send, retrying connection failures with jittered backoff; timeouts are never retried."""
        for attempt in range(attempts):
            exchange.attempts = attempt + 1
            sent_at = time.perf_counter()
            try:
                response = await self.transport.send(
                    method, url, headers=headers, body=body.content, time_limit=route.timeout_seconds
                )
            except UpstreamError as exc:
                if body.failure is not None:
                    raise body.failure from exc
                if exc.kind == "timeout":
                    raise ProblemError(
                        f"{upstream.service} did not answer within {route.timeout_seconds:g} s.",
                        status=504,
                        slug="upstream-timeout",
                        title="Gateway timeout",
                        upstream=upstream.service,
                    ) from exc
                if attempt + 1 < attempts:
                    self.metrics.retries.labels(upstream.name).inc()
                    await asyncio.sleep(backoff_seconds(attempt, base=self.settings.retry_base_seconds))
                    continue
                raise ProblemError(
                    f"{upstream.service} could not be reached.",
                    status=502,
                    slug="bad-gateway",
                    title="Bad gateway",
                    upstream=upstream.service,
                ) from exc
            elapsed = time.perf_counter() - sent_at
            exchange.upstream_ms = round(elapsed * 1000, 2)
            exchange.upstream_status = response.status
            self.metrics.observe_upstream(upstream.name, elapsed)
            return response
        raise AssertionError("unreachable")

    async def _stream_back(
        self,
        send: Send,
        response: UpstreamResponse,
        *,
        extra_headers: list[tuple[bytes, bytes]],
        public_path: str | None,
    ) -> None:
        """Stream the body chunk by chunk as it arrives (never buffered whole); a small problem+json is
        read whole to name the public path as its `instance`."""
        length = declared_length(response.headers)
        small = length is not None and length <= MAX_PROBLEM_BYTES
        if public_path is not None and small and is_problem(response.headers):
            try:
                body = b"".join([chunk async for chunk, _ in response.body()])
            finally:
                await response.close()
            body = with_public_instance(body, public_path)
            headers = replace_length(downstream_response_headers(response.headers), len(body))
            await send(
                {"type": "http.response.start", "status": response.status, "headers": headers + extra_headers}
            )
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": response.status,
                    "headers": downstream_response_headers(response.headers) + extra_headers,
                }
            )
            try:
                async for chunk, last in response.body():
                    await send({"type": "http.response.body", "body": chunk, "more_body": not last})
                    if last:
                        return
            except UpstreamError:
                logger.warning("upstream response broke off mid-stream")
                raise
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            await response.close()

    def _proto(self, scope: Scope) -> str:
        peer = str(scope["client"][0]) if scope.get("client") else ""
        forwarded = header(scope, b"x-forwarded-proto") if self.trusted.trusts(peer) else None
        return forwarded or str(scope.get("scheme", "http"))

    def _signed_request(self, scope: Scope) -> SignedRequest:
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        query = scope.get("query_string", b"").decode("latin-1")
        target = f"{self._proto(scope)}://{headers.get('host', '')}{scope['path']}" + (
            f"?{query}" if query else ""
        )
        return SignedRequest(method=scope["method"], target_uri=target, headers=headers)


def _unavailable(upstream: str, why: str, *, retry_after: int) -> ProblemError:
    return ProblemError(
        f"{upstream} {why}; retry in {retry_after} s.",
        status=503,
        slug="upstream-unavailable",
        title="Service unavailable",
        headers={"Retry-After": str(retry_after)},
        upstream=upstream,
    )
