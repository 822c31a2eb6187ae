"""A local FCM HTTP v1 stand-in for embedded mode, tests and benchmarks: records what it receives.

Tokens starting with "invalid" are answered 404 UNREGISTERED, like FCM for an uninstalled app.
`POST /control/fail {"count": n, "status": 503}` makes the next n sends fail (fault injection).
Run alone: `python -m notification_service.push.sink --port 8094`.
"""

from __future__ import annotations

import argparse
import uuid
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


@dataclass
class SinkState:
    received: list[dict[str, Any]] = field(default_factory=list)
    fail_next: int = 0
    fail_status: int = 503
    requests: int = 0


def create_sink_app(state: SinkState | None = None) -> FastAPI:
    app = FastAPI(title="Hue-S push sink (FCM HTTP v1 compatible)")
    app.state.sink = sink = state or SinkState()

    @app.post("/v1/projects/{project_id}/messages:send")
    async def send(project_id: str, request: Request) -> JSONResponse:
        sink.requests += 1
        if sink.fail_next > 0:
            sink.fail_next -= 1
            return JSONResponse(
                {"error": {"code": sink.fail_status, "status": "UNAVAILABLE"}}, sink.fail_status
            )
        body = await request.json()
        message = body.get("message", {})
        if str(message.get("token", "")).startswith("invalid"):
            error = {
                "code": 404,
                "status": "NOT_FOUND",
                "details": [
                    {
                        "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                        "errorCode": "UNREGISTERED",
                    }
                ],
            }
            return JSONResponse({"error": error}, 404)
        sink.received.append(message)
        return JSONResponse({"name": f"projects/{project_id}/messages/{uuid.uuid4()}"})

    @app.post("/control/fail")
    async def fail(request: Request) -> dict[str, int]:
        body = await request.json()
        sink.fail_next, sink.fail_status = int(body.get("count", 1)), int(body.get("status", 503))
        return {"fail_next": sink.fail_next}

    @app.get("/control/received")
    async def received() -> dict[str, Any]:
        return {"count": len(sink.received), "requests": sink.requests, "messages": sink.received[-100:]}

    @app.delete("/control/received")
    async def clear() -> dict[str, int]:
        sink.received.clear()
        return {"count": 0}

    return app


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8094)
    args = parser.parse_args()
    uvicorn.run(create_sink_app(), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
