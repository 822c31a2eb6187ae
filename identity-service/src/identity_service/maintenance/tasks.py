"""Periodic work: load/rotate signing keys, purge unverified registrations, publish password-expiry
reminders (Art. 9.1)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from hues_shared.app import ServiceRuntime
from identity_service.accounts.service import purge_stale_pending
from identity_service.components import identity_components
from identity_service.passwords.service import publish_expiry_reminders

logger = logging.getLogger(__name__)
TASK_KEY = "identity.maintenance"


async def prepare_signing_keys(runtime: ServiceRuntime) -> None:
    """Startup hook: generate the first key if none, rotate an old one, load them."""
    components = identity_components(runtime)
    async with runtime.db.unit_of_work() as session:
        await components.keys.ensure_key(session)


async def run_maintenance_once(runtime: ServiceRuntime) -> int:
    """One round; returns how many reminders were published."""
    components = identity_components(runtime)
    async with runtime.db.unit_of_work() as session:
        await components.keys.ensure_key(session)
    async with runtime.db.unit_of_work() as session:
        await purge_stale_pending(session, components)
    async with runtime.db.unit_of_work() as session:
        return await publish_expiry_reminders(session, components)


async def _loop(runtime: ServiceRuntime, interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            await run_maintenance_once(runtime)
        except Exception:
            logger.exception("identity maintenance round failed; retrying next round")


async def start_maintenance(runtime: ServiceRuntime) -> None:
    components = identity_components(runtime)
    interval = components.settings.maintenance_interval_seconds
    runtime.extras[TASK_KEY] = asyncio.create_task(_loop(runtime, interval), name="identity-maintenance")


async def stop_maintenance(runtime: ServiceRuntime) -> None:
    task = runtime.extras.pop(TASK_KEY, None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
