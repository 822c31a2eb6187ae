"""Liveness and readiness: /healthz says the process is alive, /readyz that this pod can serve requests.

Readiness means "send me traffic": the database answers and its schema is at the revision this code was
built for (issue 14 item 5: an unmigrated database used to report ready while every route failed). The
event bus is *not* a readiness condition: requests commit their events to the outbox, which waits out a
broker outage, so a Kafka blip must not take every pod out of service (issue 13 item 9). A bus that does
not answer is reported as `degraded` with status 200, and as the `dependency_up{dependency="bus"}` metric
for alerting. Checks run in parallel, each within `READINESS_TIMEOUT_SECONDS`, so the probe answers
within the orchestrator's timeout whatever hangs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from hues_shared.migrations import head_revisions, revisions_on

router = APIRouter(tags=["operations"])
logger = logging.getLogger(__name__)

# Checks whose failure only degrades the service (it keeps serving, with its outbox as the buffer).
DEGRADING = frozenset({"bus"})


class SchemaNotAtHead(Exception):
    """The database is reachable but not at the revision the code expects (run `hues migrate`)."""


@cache
def _expected_revisions(migrations_dir: Path) -> frozenset[str]:
    return frozenset(head_revisions(migrations_dir))


@router.get("/healthz", summary="Liveness: the process is up")
async def healthz(request: Request) -> dict[str, str]:
    """Cheap liveness probe; touches no dependency."""
    return {"status": "ok", "service": request.app.state.runtime.settings.service_name}


def _probes(runtime: Any) -> dict[str, Callable[[], Awaitable[None]]]:
    async def schema() -> None:
        expected = _expected_revisions(runtime.definition.migrations_dir)
        async with runtime.db.engine.connect() as connection:
            current = await connection.run_sync(revisions_on)
        if current != expected:
            raise SchemaNotAtHead(f"at {sorted(current) or 'nothing'}, code expects {sorted(expected)}")

    probes: dict[str, Callable[[], Awaitable[None]]] = {"database": runtime.db.ping, "bus": runtime.bus.ping}
    if (runtime.definition.migrations_dir / "env.py").exists():  # migrated by Alembic (not a test lab)
        probes["schema"] = schema
    if getattr(runtime, "revocations", None) is not None:
        probes["revocations"] = runtime.revocations.ping
    return probes


async def _run(name: str, probe: Callable[[], Awaitable[None]], limit: float) -> tuple[str, str]:
    try:
        await asyncio.wait_for(probe(), timeout=limit)
        return name, "ok"
    except SchemaNotAtHead as exc:
        logger.error("readiness: schema not at head (%s); run `hues migrate`", exc, extra={"check": name})
        return name, "not-migrated"
    except Exception as exc:
        logger.warning("readiness check failed", extra={"check": name, "error": repr(exc)})
        return name, "degraded" if name in DEGRADING else "unavailable"


@router.get("/readyz", summary="Readiness: database reachable and migrated", response_model=None)
async def readyz(request: Request) -> JSONResponse:
    """503 while the database does not answer or its schema is not at head; a silent bus only degrades."""
    runtime = request.app.state.runtime
    timeout = float(getattr(runtime.settings, "readiness_timeout_seconds", 2.0))
    results = dict(
        await asyncio.gather(*(_run(name, probe, timeout) for name, probe in _probes(runtime).items()))
    )
    for name, result in results.items():
        runtime.metrics.dependency_up.labels(dependency=name).set(1 if result == "ok" else 0)
    ready = all(result == "ok" or name in DEGRADING for name, result in results.items())
    degraded = any(result == "degraded" for result in results.values())
    status = "unavailable" if not ready else "degraded" if degraded else "ok"
    body = {"status": status, "service": runtime.settings.service_name, "checks": results}
    return JSONResponse(body, status_code=200 if ready else 503)
