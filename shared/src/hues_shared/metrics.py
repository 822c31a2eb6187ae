"""Prometheus metrics per service, on a registry of its own so the embedded mode can host six apps."""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.requests import Request
from starlette.responses import Response

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class ServiceMetrics:
    """The metrics one service exports at /metrics."""

    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        labels = {"service": service}
        self.requests = Counter(
            "http_requests_total",
            "HTTP requests handled",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "HTTP request latency",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.in_flight = Gauge("http_requests_in_flight", "HTTP requests in progress", registry=self.registry)
        self.events_published = Counter(
            "events_published_total",
            "Events relayed from the outbox to the bus",
            ["topic"],
            registry=self.registry,
        )
        self.outbox_backlog = Gauge(
            "outbox_backlog", "Outbox rows waiting to be published", registry=self.registry
        )
        self.relay_failures = Counter(
            "outbox_relay_failures_total",
            "Failed attempts to publish an outbox batch",
            registry=self.registry,
        )
        self.outbox_set_aside = Counter(
            "outbox_set_aside_total",
            "Outbox events the bus refused for good, set aside for an operator (dead letters, source=outbox)",
            registry=self.registry,
        )
        self.events_handled = Counter(
            "events_handled_total",
            "Events handled by this service's consumer",
            ["type", "outcome"],
            registry=self.registry,
        )
        self.event_lag = Histogram(
            "event_handling_lag_seconds",
            "Time from an event's creation to its handling",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.info = Gauge("service_info", "Service identity", ["service"], registry=self.registry)
        self.dependency_up = Gauge(
            "dependency_up",
            "1 when a dependency answered the last readiness probe (database, schema, bus, revocations)",
            ["dependency"],
            registry=self.registry,
        )
        self.info.labels(**labels).set(1)

    def render(self, request: Request) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)
