"""`hues` command: run the embedded platform, or migrate/seed/serve one app (distributed mode)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import os
import sys

import uvicorn

from hues_launcher.registry import ALL_APPS, SERVICES
from hues_shared.app import ServiceRuntime
from hues_shared.logs import configure_logging
from hues_shared.migrations import upgrade


async def _migrate(name: str) -> None:
    entry = SERVICES[name]
    settings = entry.settings()
    app = entry.create_app(settings)
    runtime: ServiceRuntime = app.state.runtime
    try:
        await upgrade(runtime.definition.migrations_dir, settings.database_url)
    finally:
        await runtime.db.dispose()


async def _seed(name: str) -> None:
    entry = SERVICES[name]
    app = entry.create_app(entry.settings())
    runtime: ServiceRuntime = app.state.runtime
    try:
        if runtime.definition.seed is not None:
            await runtime.definition.seed(runtime)
    finally:
        await runtime.db.dispose()
    for notice in runtime.notices:
        print(notice, flush=True)


async def _recover_admin() -> None:
    """A new password for the bootstrap DIC administrator (found by its stored id), printed once."""
    entry = SERVICES["identity"]
    app = entry.create_app(entry.settings())
    runtime: ServiceRuntime = app.state.runtime
    recovery = importlib.import_module("identity_service.bootstrap.recovery")
    try:
        print(await recovery.recover_admin_command(runtime), flush=True)
    finally:
        await runtime.db.dispose()


def _serve(name: str) -> None:
    entry = ALL_APPS[name]
    settings = entry.settings()
    configure_logging(level=settings.log_level, json_format=settings.log_json)
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
    server.run()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="hues", description="Hue-S platform launcher")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run the whole platform in one process (embedded mode)")
    commands.add_parser(
        "recover-admin",
        help="lost the bootstrap DIC administrator's password? set a new one (printed once)",
    )
    for verb, choices in (("migrate", SERVICES), ("seed", SERVICES), ("serve", ALL_APPS)):
        sub = commands.add_parser(verb, help=f"{verb} one app")
        sub.add_argument("app", choices=[*choices, "all"] if verb != "serve" else list(choices))
    args = parser.parse_args(argv)

    json_logs = (
        os.environ.get("HUES_LOG_JSON", "true" if args.command == "serve" else "false").lower() == "true"
    )
    configure_logging(level=os.environ.get("HUES_LOG_LEVEL", "INFO"), json_format=json_logs)

    if args.command == "run":
        from hues_launcher.embedded import run_embedded

        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(run_embedded())
        return
    if args.command == "serve":
        _serve(args.app)
        return
    if args.command == "recover-admin":
        asyncio.run(_recover_admin())
        return
    names = list(SERVICES) if args.app == "all" else [args.app]
    action = _migrate if args.command == "migrate" else _seed
    for name in names:
        asyncio.run(action(name))
        print(f"{args.command}: {name} done", file=sys.stderr)


if __name__ == "__main__":
    main()
