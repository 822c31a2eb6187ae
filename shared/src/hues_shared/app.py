"""The one app factory every service uses, so a reader who learns one service knows all six."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, FastAPI, Request
from prometheus_client import CollectorRegistry
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.auth.denylist import Denylist
from hues_shared.auth.jwks import JwksCache, TokenVerifier
from hues_shared.auth.revocation_feeds import revocation_feed
from hues_shared.auth.revocations import TOPIC as REVOCATION_TOPIC
from hues_shared.auth.revocations import RevocationListener, RevocationMirror
from hues_shared.db import Database
from hues_shared.events.bus import EventBus, InMemoryBus
from hues_shared.events.consumer import EventConsumer, EventHandlers, dead_letter_topic
from hues_shared.events.contracts import all_contracts
from hues_shared.events.housekeeping import Retention
from hues_shared.events.kafka import KafkaBus
from hues_shared.events.outbox import OutboxRelay
from hues_shared.events.tables import MessagingTables
from hues_shared.health import router as health_router
from hues_shared.metrics import ServiceMetrics
from hues_shared.middleware import BodySizeLimitMiddleware, ManagementGuard, RequestContextMiddleware
from hues_shared.net import TrustedProxies
from hues_shared.problems import Conflict, RecordedRefusal, install_problem_handlers
from hues_shared.settings import ServiceSettings

logger = logging.getLogger(__name__)
Hook = Callable[["ServiceRuntime"], Awaitable[None]]


@dataclass
class ServiceDefinition:
    """What makes a service itself; everything else comes from the shared factory."""

    name: str
    title: str
    description: str
    settings: ServiceSettings
    routers: Sequence[APIRouter]
    tables: MessagingTables
    migrations_dir: Path
    handlers: EventHandlers = field(default_factory=EventHandlers)
    on_startup: Sequence[Hook] = ()
    on_shutdown: Sequence[Hook] = ()
    seed: Hook | None = None
    openapi_tags: list[dict[str, Any]] = field(default_factory=list)
    # The service's own parts built once from its settings (cipher, hasher, providers, ...): one object
    # of the service's own class, read back typed with `service_components(runtime, TheClass)`.
    components: object | None = None


@dataclass
class ServiceRuntime:
    """The live parts of one running service, at `app.state.runtime`."""

    definition: ServiceDefinition
    settings: ServiceSettings
    db: Database
    bus: EventBus
    owns_bus: bool
    metrics: ServiceMetrics
    relay: OutboxRelay
    consumer: EventConsumer | None
    token_verifier: TokenVerifier
    tables: MessagingTables
    revocations: RevocationListener
    extras: dict[str, Any] = field(default_factory=dict)
    # What the operator must read once start-up is over (e.g. a generated bootstrap password): the
    # launcher prints these in its final banner, not between migration and log lines.
    notices: list[str] = field(default_factory=list)


def build_bus(settings: ServiceSettings) -> EventBus:
    if settings.bus == "kafka":
        return KafkaBus(
            bootstrap_servers=settings.kafka_bootstrap_servers,
            client_id=settings.service_name,
            idempotent_producer=settings.kafka_idempotent_producer,
            partitions=settings.kafka_topic_partitions,
            replication_factor=settings.kafka_replication_factor,
            security=settings.kafka_security(),
        )
    return InMemoryBus()


def build_revocations(
    settings: ServiceSettings,
    bus: EventBus,
    *,
    registry: CollectorRegistry | None,
    mirror: RevocationMirror | None = None,
) -> RevocationListener:
    """Every process keeps its own denylist from identity's events (issue 7, item 10)."""
    lifetime = settings.access_token_max_lifetime_seconds + settings.jwt_leeway_seconds
    return RevocationListener(
        feed=revocation_feed(
            bus, topic=REVOCATION_TOPIC, name=settings.service_name, lookback_seconds=lifetime
        ),
        denylist=Denylist(ttl_seconds=lifetime),
        registry=registry,
        mirror=mirror,
        fail_mode=settings.revocation_fail_mode,
        max_staleness_seconds=settings.revocation_max_staleness_seconds,
    )


def build_runtime(
    definition: ServiceDefinition, *, bus: EventBus | None = None, token_verifier: TokenVerifier | None = None
) -> ServiceRuntime:
    settings = definition.settings
    metrics = ServiceMetrics(definition.name)
    db = Database(
        settings.database_url,
        source=f"/hues/{definition.name}",
        pool_size=settings.database_pool_size,
        echo=settings.database_echo,
    )
    owns_bus = bus is None
    bus = bus or build_bus(settings)
    relay = OutboxRelay(
        db=db,
        bus=bus,
        tables=definition.tables,
        metrics=metrics,
        batch_size=settings.outbox_batch_size,
        poll_interval=settings.outbox_poll_interval_seconds,
        retention=timedelta(hours=settings.outbox_retention_hours),
        housekeeping=Retention(
            inbox=timedelta(hours=settings.inbox_retention_hours),
            idempotency_keys=timedelta(hours=settings.idempotency_key_hours),
            resolved_dead_letters=timedelta(days=settings.dead_letter_retention_days),
        ),
    )
    consumer = None
    if definition.handlers:
        consumer = EventConsumer(
            group=definition.name,
            bus=bus,
            db=db,
            tables=definition.tables,
            handlers=definition.handlers,
            metrics=metrics,
            batch_size=settings.consumer_batch_size,
            max_attempts=settings.event_max_attempts,
            retry_base_seconds=settings.event_retry_base_seconds,
        )
        consumer.declare()  # before any relay runs: see InMemoryBus
    verifier = token_verifier or TokenVerifier(
        JwksCache(settings.jwks_url, ttl=settings.jwks_cache_seconds),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        leeway=settings.jwt_leeway_seconds,
    )
    return ServiceRuntime(
        definition=definition,
        settings=settings,
        db=db,
        bus=bus,
        owns_bus=owns_bus,
        metrics=metrics,
        relay=relay,
        consumer=consumer,
        token_verifier=verifier,
        tables=definition.tables,
        revocations=build_revocations(settings, bus, registry=metrics.registry),
    )


def produced_topics(service_name: str) -> list[str]:
    return sorted({c.topic for c in all_contracts().values() if c.producer == service_name})


def create_service_app(
    definition: ServiceDefinition,
    *,
    bus: EventBus | None = None,
    token_verifier: TokenVerifier | None = None,
) -> FastAPI:
    """Build the FastAPI app: middleware, problem handlers, health, metrics, docs, outbox relay, consumer."""
    runtime = build_runtime(definition, bus=bus, token_verifier=token_verifier)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if runtime.owns_bus:
            await runtime.bus.start()
        if isinstance(runtime.bus, KafkaBus):
            try:
                await runtime.bus.ensure_topics(
                    [*produced_topics(definition.name), dead_letter_topic(definition.name)]
                )
            except Exception as exc:
                logger.warning("could not ensure topics at start", extra={"error": repr(exc)})
        await runtime.revocations.start(wait_seconds=5.0)  # current before traffic when the bus answers
        runtime.relay.start()
        if runtime.consumer is not None:
            runtime.consumer.start()
        for hook in definition.on_startup:
            await hook(runtime)
        logger.info("service started", extra={"service": definition.name, "port": definition.settings.port})
        try:
            yield
        finally:
            for hook in definition.on_shutdown:
                await hook(runtime)
            if runtime.consumer is not None:
                await runtime.consumer.stop()
            await runtime.relay.stop()
            await runtime.revocations.stop()
            if runtime.owns_bus:
                await runtime.bus.stop()
            await runtime.db.dispose()
            logger.info("service stopped", extra={"service": definition.name})

    app = FastAPI(
        title=definition.title,
        description=definition.description,
        version="0.1.0",
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
        openapi_tags=definition.openapi_tags or None,
    )
    app.state.runtime = runtime
    install_problem_handlers(app)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=definition.settings.max_body_bytes)
    app.add_middleware(RequestContextMiddleware, service=definition.name, metrics=runtime.metrics)
    install_management_guard(app, definition.settings)
    app.include_router(health_router)
    app.add_api_route("/metrics", runtime.metrics.render, include_in_schema=False)
    from hues_shared.events.dead_letters import router as dead_letter_router

    app.include_router(dead_letter_router)
    for router in definition.routers:
        app.include_router(router)
    return app


def install_management_guard(app: FastAPI, settings: ServiceSettings) -> None:
    """/readyz and /metrics answer on the management port, or to allow-listed peers only (every app)."""
    app.add_middleware(
        ManagementGuard,
        management_port=settings.management_port,
        allow=TrustedProxies(settings.management_allow),
    )


def runtime_of(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


async def _unit_of_work(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request: committed after the endpoint returns, before the response is sent.

    A `RecordedRefusal` raised by the endpoint commits too (the failure it counted must stay counted),
    then propagates to the problem handler; any other exception rolls back.
    """
    refusal: RecordedRefusal | None = None
    try:
        async with runtime_of(request).db.unit_of_work() as session:
            try:
                yield session
            except RecordedRefusal as exc:
                refusal = exc
    except IntegrityError as exc:
        raise Conflict("The change conflicts with data stored meanwhile; retry the request.") from exc
    if refusal is not None:
        raise refusal


C = TypeVar("C")


def service_components(runtime: ServiceRuntime, kind: type[C]) -> C:
    """The service's components (`ServiceDefinition.components`), checked to be a `kind`, not cast."""
    components = runtime.definition.components
    if not isinstance(components, kind):
        raise TypeError(f"{runtime.definition.name} defines no {kind.__name__} components")
    return components


def components_dependency(kind: type[C]) -> Callable[[Request], C]:
    """A FastAPI dependency giving the service's typed components:
    `Components = Annotated[MyComponents, Depends(components_dependency(MyComponents))]`."""

    def dependency(request: Request) -> C:
        return service_components(runtime_of(request), kind)

    return dependency


Runtime = Annotated[ServiceRuntime, Depends(runtime_of)]
DbSession = Annotated[AsyncSession, Depends(_unit_of_work, scope="function")]
