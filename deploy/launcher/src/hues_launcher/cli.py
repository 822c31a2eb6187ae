"""`hues` command: run the embedded platform, or migrate/seed/serve one app (distributed mode)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys

import uvicorn

from hues_launcher.registry import ALL_APPS, SERVICES
from hues_launcher.sockets import app_sockets
from hues_shared.app import ServiceRuntime
from hues_shared.context import service_var
from hues_shared.logs import AccessLog, configure_logging
from hues_shared.migrations import upgrade


async def _migrate(name: str) -> None:
    service_var.set(name)  # migration lines name their app
    entry = SERVICES[name]
    settings = entry.settings()
    app = entry.create_app(settings)
    runtime: ServiceRuntime = app.state.runtime
    try:
        await upgrade(runtime.definition.migrations_dir, settings.database_url)
    finally:
        await runtime.db.dispose()


async def _seed(name: str) -> None:
    service_var.set(name)
    entry = SERVICES[name]
    app = entry.create_app(entry.settings())
    runtime: ServiceRuntime = app.state.runtime
    try:
        if runtime.definition.seed is not None:
            await runtime.definition.seed(runtime)
    finally:
        await runtime.db.dispose()


def _log_setup(command: str, *, level: str = "INFO", json_default: bool, app: str | None = None) -> None:
    """HUES_LOG_JSON, HUES_LOG_LEVEL, HUES_ACCESS_LOG, HUES_SLOW_MS (docs/gateway.md, Logs)."""
    json_logs = os.environ.get("HUES_LOG_JSON", "true" if json_default else "false").lower() == "true"
    access = os.environ.get("HUES_ACCESS_LOG", "quiet" if command == "run" else "all").lower()
    if access not in ("all", "quiet", "off"):
        raise SystemExit(f"hues: HUES_ACCESS_LOG must be all, quiet or off (not {access!r})")
    access_mode: AccessLog = access
    configure_logging(
        level=os.environ.get("HUES_LOG_LEVEL", level),
        json_format=json_logs,
        app=app,
        access=access_mode,
        slow_ms=float(os.environ.get("HUES_SLOW_MS", "1000")),
    )


def _serve(name: str) -> None:
    entry = ALL_APPS[name]
    settings = entry.settings()
    _log_setup("serve", level=settings.log_level, json_default=settings.log_json, app=name)
    sockets = app_sockets(entry, settings)  # a port in use ends here, in one line
    app = entry.create_app(settings)
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host=settings.host,
            port=settings.port,
            log_config=None,
            access_log=False,
            proxy_headers=False,
            timeout_graceful_shutdown=int(settings.shutdown_grace_seconds),
        )
    )
    server.run(sockets=sockets)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="hues", description="Hue-S platform launcher")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run the whole platform in one process (embedded mode)")
    for verb, choices in (("migrate", SERVICES), ("seed", SERVICES), ("serve", ALL_APPS)):
        sub = commands.add_parser(verb, help=f"{verb} one app")
        sub.add_argument("app", choices=[*choices, "all"] if verb != "serve" else list(choices))
    args = parser.parse_args(argv)

    # `hues run` (make run): readable text, access lines only for errors and slow requests by default.
    app = getattr(args, "app", None)
    _log_setup(args.command, json_default=args.command == "serve", app=None if app == "all" else app)

    if args.command == "run":
        from hues_launcher.embedded import run_embedded

        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(run_embedded())
        return
    if args.command == "serve":
        _serve(args.app)
        return
    names = list(SERVICES) if args.app == "all" else [args.app]
    action = _migrate if args.command == "migrate" else _seed
    for name in names:
        asyncio.run(action(name))
        print(f"{args.command}: {name} done", file=sys.stderr)


if __name__ == "__main__":
    main()
