"""The one app factory every service uses, so a reader who learns one service knows all six."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.auth.jwks import JwksCache, TokenVerifier
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
from hues_shared.middleware import BodySizeLimitMiddleware, RequestContextMiddleware
from hues_shared.problems import Conflict, install_problem_handlers
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
    extras: dict[str, Any] = field(default_factory=dict)


def build_bus(settings: ServiceSettings) -> EventBus:
    if settings.bus == "kafka":
        return KafkaBus(
            bootstrap_servers=settings.kafka_bootstrap_servers,
            client_id=settings.service_name,
            idempotent_producer=settings.kafka_idempotent_producer,
            partitions=settings.kafka_topic_partitions,
            replication_factor=settings.kafka_replication_factor,
        )
    return InMemoryBus()


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
    app.include_router(health_router)
    app.add_api_route("/metrics", runtime.metrics.render, include_in_schema=False)
    from hues_shared.events.dead_letters import router as dead_letter_router

    app.include_router(dead_letter_router)
    for router in definition.routers:
        app.include_router(router)
    return app


def runtime_of(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


async def _unit_of_work(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request: committed after the endpoint returns, before the response is sent."""
    try:
        async with runtime_of(request).db.unit_of_work() as session:
            yield session
    except IntegrityError as exc:
        raise Conflict("The change conflicts with data stored meanwhile; retry the request.") from exc


Runtime = Annotated[ServiceRuntime, Depends(runtime_of)]
DbSession = Annotated[AsyncSession, Depends(_unit_of_work, scope="function")]
