"""The gateway: the one entry point (:8000) in front of the five services, built by create_app()."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from redis.asyncio import Redis
from starlette.middleware.cors import CORSMiddleware

from gateway.config import GatewaySettings
from gateway.docs.endpoints import router as docs_router
from gateway.docs.service import MergedOpenApi
from gateway.ops.access_log import install_access_log_filter
from gateway.ops.endpoints import router as ops_router
from gateway.ops.metrics import GatewayMetrics
from gateway.ops.security_headers import SecurityHeadersMiddleware
from gateway.partners.listener import PartnerListener
from gateway.partners.nonces import MemoryNonces, NonceStore, RedisNonces
from gateway.partners.policy import PartnerPolicy
from gateway.partners.registry import PartnerRegistry
from gateway.partners.usage import UsageMeter
from gateway.policies.access import AccessPolicy
from gateway.policies.machine import MachineClientPolicy, MessageSignatureVerifier
from gateway.policies.tokens import CachingTokenVerifier
from gateway.proxy.handler import GatewayProxy, Upstream
from gateway.proxy.transports import UpstreamTransport, build_transport
from gateway.ratelimit.counters import CounterStore, MemoryCounters, RedisCounters
from gateway.ratelimit.limiter import RateLimiter
from gateway.resilience.breaker import CircuitBreaker, CircuitState
from gateway.resilience.bulkhead import Bulkhead
from gateway.revocation.store import RedisRevocationStore
from gateway.routing.matcher import RouteMatcher
from gateway.routing.table import load_table
from hues_shared.app import build_bus, build_revocations, install_management_guard
from hues_shared.auth.denylist import Denylist
from hues_shared.auth.jwks import JwksCache, TokenVerifier
from hues_shared.auth.principal import CHANGE_PASSWORD_PATH
from hues_shared.auth.revocations import RevocationListener
from hues_shared.events.bus import EventBus
from hues_shared.metrics import ServiceMetrics
from hues_shared.middleware import RequestContextMiddleware
from hues_shared.problems import install_problem_handlers
from hues_shared.sealing import Sealer

CORS_HEADERS = [
    "Authorization",
    "Content-Type",
    "Accept-Language",
    "Idempotency-Key",
    "If-Match",
    "X-Request-ID",
    "traceparent",
]
CORS_EXPOSED = ["RateLimit", "RateLimit-Policy", "Retry-After", "X-Request-ID", "ETag", "Location"]


@dataclass
class UpstreamProbe:
    """Readiness view of one upstream: is its /healthz answering, and what does its breaker say."""

    upstream: Upstream
    transport: UpstreamTransport

    @property
    def service(self) -> str:
        return self.upstream.service

    @property
    def breaker(self) -> CircuitBreaker:
        return self.upstream.breaker

    @property
    def docs_url(self) -> str:
        return f"{self.upstream.base_url}/docs"

    async def ping(self) -> None:
        response = await self.transport.send(
            "GET", f"{self.upstream.base_url}/healthz", headers=[], body=None, time_limit=2.0
        )
        await response.close()
        if response.status != 200:
            raise ConnectionError(f"healthz answered {response.status}")


@dataclass
class GatewayRuntime:
    """The live parts of the gateway, at `app.state.runtime` (same place as the services' runtime)."""

    settings: GatewaySettings
    bus: EventBus
    owns_bus: bool
    metrics: ServiceMetrics
    gateway_metrics: GatewayMetrics
    token_verifier: TokenVerifier
    denylist: Denylist
    revocations: RevocationListener
    redis: Redis | None
    counters: CounterStore
    transport: UpstreamTransport
    upstreams: dict[str, Upstream]
    upstream_probes: list[UpstreamProbe]
    openapi: MergedOpenApi

    async def revocations_ping(self) -> None:
        await self.revocations.ping()


def _upstreams(settings: GatewaySettings, metrics: GatewayMetrics) -> dict[str, Upstream]:
    def on_change(name: str, state: CircuitState) -> None:
        metrics.breaker_state.labels(name).set(int(state))

    upstreams = {}
    for name, url in settings.upstream_urls().items():
        breaker = CircuitBreaker(
            name,
            failure_threshold=settings.breaker_failure_threshold,
            open_seconds=settings.breaker_open_seconds,
            on_change=on_change,
        )
        metrics.breaker_state.labels(name).set(0)
        upstreams[name] = Upstream(name, url, breaker, Bulkhead(settings.max_in_flight_per_upstream))
    return upstreams


def _description() -> str:
    """Public text: no internal address (operators find each service's docs through /readyz)."""
    return (
        "The single entry point of Hue-S. Each service is exposed under `/v1/<service>/...`; errors are "
        "RFC 9457 problem+json; calls need a bearer access token unless marked public. Each operation says "
        "which gateway policy guards it."
    )


def _partner_policy(
    settings: GatewaySettings, verifier: TokenVerifier | None, redis: Redis | None
) -> PartnerPolicy:
    """Machine routes trust integration-service's token issuer (and only there), see gateway/partners/."""
    nonces: NonceStore = (
        RedisNonces(redis, prefix=settings.redis_key_prefix) if redis is not None else MemoryNonces()
    )
    return PartnerPolicy(
        settings=settings,
        verifier=verifier
        or TokenVerifier(
            JwksCache(settings.partner_jwks_url, ttl=settings.jwks_cache_seconds),
            issuer=settings.partner_issuer,
            audience=settings.partner_audience,
            leeway=settings.jwt_leeway_seconds,
        ),
        registry=PartnerRegistry(sealer=Sealer(settings.partner_key_sealing_secret)),
        nonces=nonces,
        usage=UsageMeter(instance=settings.instance_id, flush_seconds=settings.partner_usage_flush_seconds),
    )


def create_app(
    settings: GatewaySettings | None = None,
    *,
    bus: EventBus | None = None,
    token_verifier: TokenVerifier | None = None,
    signature_verifier: MessageSignatureVerifier | None = None,
    partner_verifier: TokenVerifier | None = None,
) -> FastAPI:
    """Build the gateway; a route table that does not validate (unknown upstream, ...) fails here."""
    settings = settings or GatewaySettings()
    table = load_table(
        settings.routes_file, upstreams=settings.upstream_urls(), environment=settings.environment
    )
    matcher = RouteMatcher(table)
    metrics = ServiceMetrics(settings.service_name)
    gateway_metrics = GatewayMetrics(metrics)
    owns_bus = bus is None
    bus = bus or build_bus(settings)
    verifier = token_verifier or TokenVerifier(
        JwksCache(settings.jwks_url, ttl=settings.jwks_cache_seconds),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        leeway=settings.jwt_leeway_seconds,
    )
    redis = Redis.from_url(settings.redis_url) if settings.redis_url else None
    counters: CounterStore = (
        RedisCounters(redis, prefix=settings.redis_key_prefix) if redis is not None else MemoryCounters()
    )
    revocations = build_revocations(
        settings,
        bus,
        registry=metrics.registry,
        mirror=RedisRevocationStore(redis, prefix=settings.redis_key_prefix) if redis is not None else None,
    )
    denylist = revocations.denylist
    transport = build_transport(
        settings.upstream_client,
        connections=settings.upstream_connections,
        connect_timeout=settings.upstream_connect_timeout_seconds,
    )
    upstreams = _upstreams(settings, gateway_metrics)
    partners = _partner_policy(settings, partner_verifier, redis)
    partner_listener = PartnerListener(
        bus=bus, group=f"gateway-partners-{settings.instance_id}", registry=partners.registry
    )
    app_ref: dict[str, FastAPI] = {}

    def base_document() -> dict[str, Any]:
        app = app_ref["app"]
        return get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
            servers=[{"url": settings.public_url("")}],  # issue 14, item 1: the public base URL
        )

    runtime = GatewayRuntime(
        settings=settings,
        bus=bus,
        owns_bus=owns_bus,
        metrics=metrics,
        gateway_metrics=gateway_metrics,
        token_verifier=verifier,
        denylist=denylist,
        revocations=revocations,
        redis=redis,
        counters=counters,
        transport=transport,
        upstreams=upstreams,
        upstream_probes=[UpstreamProbe(u, transport) for u in upstreams.values()],
        openapi=MergedOpenApi(
            matcher=matcher,
            upstream_urls=settings.upstream_urls(),
            base_document=base_document,
            cache_seconds=settings.docs_cache_seconds,
        ),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if runtime.owns_bus:
            await runtime.bus.start()
        # Revocations live before traffic when the bus answers; never blocks start-up on Kafka for long
        # (/readyz answers 503 until the listener is current).
        await runtime.revocations.start(wait_seconds=10.0)
        await partner_listener.start()
        await partners.usage.start(runtime.bus)
        try:
            yield
        finally:
            await partners.usage.stop()
            await partner_listener.stop()
            await runtime.revocations.stop()
            await runtime.transport.close()
            if runtime.redis is not None:
                await runtime.redis.aclose()
            if runtime.owns_bus:
                await runtime.bus.stop()

    app = FastAPI(
        title="Hue-S API",
        description=_description(),
        version="1.0.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app_ref["app"] = app
    app.state.runtime = runtime
    app.state.partners = partners
    install_problem_handlers(app)
    install_access_log_filter()
    app.include_router(ops_router)
    app.include_router(docs_router)
    app.add_middleware(
        GatewayProxy,
        settings=settings,
        matcher=matcher,
        access=AccessPolicy(
            verifier=CachingTokenVerifier(
                verifier,
                max_entries=settings.verified_token_cache_size,
                max_age_seconds=settings.access_token_max_lifetime_seconds,
            ),
            revocations=revocations,
            machine=MachineClientPolicy(signature_verifier),
            partners=partners,
            change_password_url=settings.public_url(CHANGE_PASSWORD_PATH),
        ),
        limiter=RateLimiter(
            table, counters, enabled=settings.rate_limits_enabled, scale=settings.effective_rate_limit_scale
        ),
        upstreams=upstreams,
        transport=transport,
        metrics=gateway_metrics,
    )
    app.add_middleware(RequestContextMiddleware, service=settings.service_name, metrics=metrics)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=CORS_HEADERS,
            expose_headers=CORS_EXPOSED,
            max_age=600,
        )
    install_management_guard(app, settings)
    app.add_middleware(SecurityHeadersMiddleware)
    return app
