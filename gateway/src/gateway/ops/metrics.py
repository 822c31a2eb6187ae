"""Gateway-specific Prometheus metrics, on the same registry as the shared per-service HTTP metrics."""

from __future__ import annotations

from typing import Any

from prometheus_client import Counter, Gauge, Histogram

from hues_shared.metrics import LATENCY_BUCKETS, ServiceMetrics

# Finer low buckets than the services': the gateway's own overhead is measured in fractions of a millisecond.
GATEWAY_BUCKETS = (0.0005, *LATENCY_BUCKETS)


class GatewayMetrics:
    """Per route, upstream and status: what reached upstreams, what the gateway refused, breaker states."""

    def __init__(self, service: ServiceMetrics) -> None:
        registry = service.registry
        self.service = service
        self.proxied = Counter(
            "gateway_requests_total",
            "Requests answered by the gateway, per route, upstream and status",
            ["route", "upstream", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "gateway_request_duration_seconds",
            "Time from request to response head through the gateway, per route and upstream",
            ["route", "upstream"],
            buckets=GATEWAY_BUCKETS,
            registry=registry,
        )
        self.upstream_latency = Histogram(
            "gateway_upstream_duration_seconds",
            "Time the upstream took to answer with its response head",
            ["upstream"],
            buckets=GATEWAY_BUCKETS,
            registry=registry,
        )
        self.refused = Counter(
            "gateway_refused_total",
            "Requests the gateway answered itself, per reason (unauthorized, forbidden, rate-limited, ...)",
            ["route", "reason"],
            registry=registry,
        )
        self.retries = Counter(
            "gateway_upstream_retries_total", "Retried upstream calls", ["upstream"], registry=registry
        )
        self.breaker_state = Gauge(
            "gateway_circuit_state",
            "Circuit breaker per upstream: 0 closed, 1 half-open, 2 open",
            ["upstream"],
            registry=registry,
        )
        self._children: dict[tuple[str, ...], Any] = {}

    def observe_request(self, route: str, upstream: str, status: int, seconds: float) -> None:
        """Count one answered request; label children are cached (a labels() lookup costs microseconds)."""
        key: tuple[str, ...] = ("r", route, upstream, str(status))
        counter = self._children.get(key)
        if counter is None:
            counter = self._children[key] = self.proxied.labels(route, upstream, str(status))
        counter.inc()
        key = ("l", route, upstream)
        histogram = self._children.get(key)
        if histogram is None:
            histogram = self._children[key] = self.latency.labels(route, upstream)
        histogram.observe(seconds)

    def observe_upstream(self, upstream: str, seconds: float) -> None:
        key = ("u", upstream)
        histogram = self._children.get(key)
        if histogram is None:
            histogram = self._children[key] = self.upstream_latency.labels(upstream)
        histogram.observe(seconds)
