"""The bench's upstream: one small JSON route, plus the JWKS the gateway verifies tokens against.

Run as its own process: python bench/gateway/upstream.py --port 9101 --jwks /tmp/jwks.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import uvicorn
from fastapi import FastAPI, Request


def build(jwks: dict[str, object]) -> FastAPI:
    app = FastAPI(title="bench upstream")

    @app.get("/v1/bench")
    async def bench(request: Request) -> dict[str, object]:
        """A typical small API answer (~100 bytes of JSON)."""
        return {"ok": True, "items": [1, 2, 3], "request_id": request.headers.get("x-request-id")}

    @app.get("/jwks.json")
    async def keys() -> dict[str, object]:
        return jwks

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--jwks", type=Path, required=True)
    args = parser.parse_args()
    app = build(json.loads(args.jwks.read_text()))
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        access_log=False,
        loop="uvloop",
        http="httptools",
    )


if __name__ == "__main__":
    main()
