"""Liveness and readiness: /healthz says the process is alive, /readyz that its database and bus answer."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["operations"])
logger = logging.getLogger(__name__)


@router.get("/healthz", summary="Liveness: the process is up")
async def healthz(request: Request) -> dict[str, str]:
    """Cheap liveness probe; touches no dependency."""
    return {"status": "ok", "service": request.app.state.runtime.settings.service_name}


@router.get("/readyz", summary="Readiness: database and event bus reachable", response_model=None)
async def readyz(request: Request) -> JSONResponse:
    """Readiness probe for load balancers: 503 while the database or the bus does not answer."""
    runtime = request.app.state.runtime
    checks: dict[str, Any] = {}
    ok = True
    probes = [("database", runtime.db.ping), ("bus", runtime.bus.ping)]
    if getattr(runtime, "revocations", None) is not None:
        probes.append(("revocations", runtime.revocations.ping))
    for name, probe in probes:
        try:
            await asyncio.wait_for(probe(), timeout=2.0)
            checks[name] = "ok"
        except Exception as exc:
            logger.warning("readiness check failed", extra={"check": name, "error": repr(exc)})
            checks[name] = "unavailable"
            ok = False
    body = {
        "status": "ok" if ok else "unavailable",
        "service": runtime.settings.service_name,
        "checks": checks,
    }
    return JSONResponse(body, status_code=200 if ok else 503)
