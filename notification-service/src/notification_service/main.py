"""notification-service: notices and warnings from government to citizens, and the in-app inbox."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
from fastapi import FastAPI

from hues_shared.app import Hook, ServiceDefinition, ServiceRuntime, create_service_app
from hues_shared.auth.jwks import TokenVerifier
from hues_shared.events.bus import EventBus
from notification_service.areas import service as areas
from notification_service.config import NotificationSettings
from notification_service.db import tables
from notification_service.events.handlers import handlers
from notification_service.feeds.endpoints import router as feeds_router
from notification_service.inbox.endpoints import router as inbox_router
from notification_service.notices.endpoints import router as notices_router
from notification_service.preferences.endpoints import router as preferences_router
from notification_service.push.dispatcher import DispatchSettings, PushDispatcher
from notification_service.push.endpoints import router as push_router
from notification_service.push.provider import FcmProvider
from notification_service.push.sink import create_sink_app

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


async def load_reference_data(runtime: ServiceRuntime) -> None:
    """Ward centres from the configured file (CAP areas are matched against them)."""
    settings = runtime.settings
    assert isinstance(settings, NotificationSettings)
    if settings.ward_centres_file is not None:
        async with runtime.db.unit_of_work() as session:
            await areas.load_centres(session, path=settings.ward_centres_file)


DISPATCHER = "push_dispatcher"
EMBEDDED_SINK = "embedded"
logger = logging.getLogger(__name__)


def _push_hooks(transport: httpx.AsyncBaseTransport | None) -> tuple[Hook, Hook]:
    """Start the dispatcher (its own consumer group) with the service; stop it with the service."""

    async def start(runtime: ServiceRuntime) -> None:
        settings = runtime.settings
        assert isinstance(settings, NotificationSettings)
        if not settings.push_enabled:
            return
        endpoint, route = settings.push_endpoint, transport
        if endpoint == EMBEDDED_SINK:
            if settings.environment == "production":
                logger.warning("push is off: set NOTIFICATION_PUSH_ENDPOINT to the FCM endpoint")
                return
            endpoint, route = "http://push-sink.embedded", route or httpx.ASGITransport(app=create_sink_app())
        provider = FcmProvider(
            endpoint=endpoint,
            project_id=settings.push_project_id,
            access_token=settings.push_access_token,
            concurrency=settings.push_concurrency,
            timeout=settings.push_timeout_seconds,
            transport=route,
        )
        dispatcher = PushDispatcher(
            runtime,
            provider,
            DispatchSettings(
                batch_size=settings.push_batch_size,
                max_attempts=settings.push_max_attempts,
                retry_base_seconds=settings.push_retry_base_seconds,
                poll_seconds=settings.push_poll_seconds,
            ),
        )
        runtime.extras[DISPATCHER] = dispatcher
        dispatcher.start()

    async def stop(runtime: ServiceRuntime) -> None:
        dispatcher = runtime.extras.pop(DISPATCHER, None)
        if dispatcher is not None:
            await dispatcher.stop()

    return start, stop


def definition(
    settings: NotificationSettings | None = None, *, push_transport: httpx.AsyncBaseTransport | None = None
) -> ServiceDefinition:
    start_push, stop_push = _push_hooks(push_transport)
    return ServiceDefinition(
        name="notification-service",
        title="Hue-S notification-service",
        description="Notices and CAP 1.2 warnings from government to citizens (Art. 6.2); one inbox per "
        "account; push; public CAP/Atom feeds.",
        settings=settings or NotificationSettings(),
        routers=[notices_router, inbox_router, preferences_router, push_router, feeds_router],
        tables=tables,
        migrations_dir=MIGRATIONS_DIR,
        handlers=handlers,
        on_startup=[load_reference_data, start_push],
        on_shutdown=[stop_push],
    )


def create_app(
    settings: NotificationSettings | None = None,
    *,
    bus: EventBus | None = None,
    token_verifier: TokenVerifier | None = None,
    push_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """`push_transport` routes the provider's HTTP to an in-process sink (tests, benchmarks)."""
    return create_service_app(
        definition(settings, push_transport=push_transport), bus=bus, token_verifier=token_verifier
    )
