"""Embedded mode loses nothing committed (issue 8, fault 1): stop `hues run` mid-stream, restart, count.

A burst of citizen registrations goes to identity while the platform is stopped with Ctrl-C (SIGINT) or
killed (SIGKILL). After a restart in the same folder, every AccountRegistered that identity committed
reaches notification exactly once: one inbox row per event for the group, one welcome message each.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sqlite3
from pathlib import Path

import httpx
import pytest

from hues_launcher.registry import ALL_APPS
from hues_shared.contracts.identity import AccountRegistered
from hues_shared.testing.infrastructure import free_port
from tests.e2e.conftest import (
    EmbeddedPlatform,
    citizen_registration,
    random_cccd,
    start_embedded,
    stop_embedded,
)

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]
GROUP = "notification-service"


def _committed_events(workdir: Path) -> set[str]:
    with sqlite3.connect(workdir / "var" / "identity.db") as connection:
        rows = connection.execute(
            "SELECT event_id FROM outbox_events WHERE event_type = ?", (AccountRegistered.event_type,)
        ).fetchall()
    return {row[0] for row in rows}


def _handled(workdir: Path) -> tuple[list[str], list[str]]:
    """(event ids in notification's inbox for its group, source event ids of its welcome messages)."""
    with sqlite3.connect(workdir / "var" / "notification.db") as connection:
        inbox = connection.execute(
            "SELECT event_id FROM inbox_events WHERE consumer = ? AND event_type = ?",
            (GROUP, AccountRegistered.event_type),
        ).fetchall()
        welcomes = connection.execute(
            "SELECT source_event_id FROM inbox_messages WHERE kind = 'welcome'"
        ).fetchall()
    return [row[0] for row in inbox], [row[0] for row in welcomes]


async def _register_until_stopped(base_url: str, accepted: list[str], stop: asyncio.Event) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        while not stop.is_set():
            try:
                response = await client.post(
                    "/v1/accounts/citizens", json=citizen_registration(random_cccd())
                )
            except httpx.HTTPError:
                return  # the platform went away under us
            if response.status_code == 201:
                accepted.append(response.json()["account_id"])


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill"])
async def test_embedded_platform_stopped_mid_stream_handles_every_committed_event_once_after_restart(
    tmp_path: Path, sig: int
) -> None:
    ports = {name: free_port() for name in ALL_APPS}
    platform: EmbeddedPlatform = await asyncio.to_thread(start_embedded, tmp_path, ports)
    accepted: list[str] = []
    stop = asyncio.Event()
    writers = [
        asyncio.create_task(_register_until_stopped(platform.url("identity"), accepted, stop))
        for _ in range(4)
    ]
    try:
        for _ in range(600):  # a stream under way: some registrations accepted, more in flight
            if len(accepted) >= 12:
                break
            await asyncio.sleep(0.1)
        assert len(accepted) >= 12, platform.log()[-3000:]
        await asyncio.to_thread(stop_embedded, platform, sig)
    finally:
        stop.set()
        for writer in writers:
            with contextlib.suppress(Exception):
                await writer
        await asyncio.to_thread(stop_embedded, platform, signal.SIGKILL)
    committed = _committed_events(tmp_path)
    assert len(committed) >= len(accepted)

    platform = await asyncio.to_thread(start_embedded, tmp_path, ports)
    try:
        inbox: list[str] = []
        welcomes: list[str] = []
        for _ in range(300):
            inbox, welcomes = _handled(tmp_path)
            if set(inbox) >= committed:
                break
            await asyncio.sleep(0.1)
        assert set(inbox) == committed, f"{len(committed - set(inbox))} committed events never handled"
        assert len(inbox) == len(set(inbox))  # handled once per group
        assert sorted(welcomes) == sorted(committed)  # one welcome per event, none twice
    finally:
        await asyncio.to_thread(stop_embedded, platform)
