"""Liveness, readiness (with every upstream's state) and Prometheus metrics of the gateway."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from gateway.resilience.breaker import CircuitState

router = APIRouter(tags=["operations"])
logger = logging.getLogger(__name__)


@router.get("/healthz", summary="Liveness: the process is up")
async def healthz(request: Request) -> dict[str, str]:
    """Cheap liveness probe; touches no dependency."""
    return {"status": "ok", "service": request.app.state.runtime.settings.service_name}


async def _probe(check: Any) -> str:
    try:
        await asyncio.wait_for(check(), timeout=2.0)
        return "ok"
    except Exception as exc:
        logger.warning("readiness probe failed", extra={"error": repr(exc)})
        return "unavailable"


@router.get(
    "/readyz", summary="Readiness: own dependencies, and the state of every upstream", response_model=None
)
async def readyz(request: Request) -> JSONResponse:
    """503 only when the gateway itself cannot work (bus or Redis down); a down upstream makes the gateway
    `degraded` but still ready: its other routes keep working, and the breaker answers for the missing one."""
    runtime = request.app.state.runtime
    own = {"bus": runtime.bus.ping, "revocations": runtime.revocations_ping}
    if runtime.redis is not None:
        own["redis"] = runtime.redis.ping
    names = list(own)
    results = await asyncio.gather(
        *(_probe(own[n]) for n in names), *(_probe(u.ping) for u in runtime.upstream_probes)
    )
    checks = dict(zip(names, results[: len(names)], strict=True))
    upstreams: dict[str, Any] = {}
    for probe, result in zip(runtime.upstream_probes, results[len(names) :], strict=True):
        upstreams[probe.service] = {
            "status": result,
            "circuit": CircuitState(probe.breaker.state).name.lower(),
            "docs": probe.docs_url,
        }
    ok = all(v == "ok" for v in checks.values())
    degraded = any(u["status"] != "ok" for u in upstreams.values())
    status = "unavailable" if not ok else ("degraded" if degraded else "ok")
    body = {
        "status": status,
        "service": runtime.settings.service_name,
        "checks": checks,
        "upstreams": upstreams,
    }
    return JSONResponse(body, status_code=200 if ok else 503)


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    """Prometheus exposition: the shared HTTP metrics plus the gateway's per route/upstream ones."""
    return request.app.state.runtime.metrics.render(request)
