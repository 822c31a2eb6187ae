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
from hues_launcher.sockets import app_sockets
from hues_shared.app import ServiceRuntime
from hues_shared.context import service_var
from hues_shared.logs import AccessLog, configure_logging
from hues_shared.migrations import current_revisions, head_revisions, upgrade, wait_for_database


async def _migrate(name: str) -> None:
    """Wait for the database, then upgrade to head as the schema owner under an advisory lock."""
    service_var.set(name)  # migration lines name their app
    entry = SERVICES[name]
    settings = entry.settings()
    await wait_for_database(settings.schema_owner_url)
    await upgrade(SERVICES[name].migrations_dir(), settings.schema_owner_url)


async def _check(name: str) -> None:
    """Exit 1 unless the schema is at the head this image expects (the Deployments' init container)."""
    service_var.set(name)
    entry = SERVICES[name]
    settings = entry.settings()
    await wait_for_database(settings.database_url)
    current = await current_revisions(settings.database_url)
    expected = head_revisions(entry.migrations_dir())
    if current != expected:
        print(
            f"check: {name} schema is at {sorted(current) or 'nothing'}, this image needs "
            f"{sorted(expected)}; run `hues migrate {name}` first",
            file=sys.stderr,
        )
        raise SystemExit(1)


async def _seed(name: str) -> None:
    service_var.set(name)
    entry = SERVICES[name]
    settings = entry.settings()
    # Seeding writes reference data and the first administrator: the schema owner does it.
    app = entry.create_app(settings.model_copy(update={"database_url": settings.schema_owner_url}))
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
    service_var.set("identity")
    entry = SERVICES["identity"]
    settings = entry.settings()
    app = entry.create_app(settings.model_copy(update={"database_url": settings.schema_owner_url}))
    runtime: ServiceRuntime = app.state.runtime
    recovery = importlib.import_module("identity_service.bootstrap.recovery")
    try:
        print(await recovery.recover_admin_command(runtime), flush=True)
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
    run = commands.add_parser("run", help="run the whole platform in one process (embedded mode)")
    run.add_argument(
        "--distributed",
        action="store_true",
        help="every app its own process on PostgreSQL, Kafka and Redis, as compose runs them",
    )
    commands.add_parser(
        "recover-admin",
        help="lost the bootstrap DIC administrator's password? set a new one (printed once)",
    )
    for verb, choices in (("migrate", SERVICES), ("seed", SERVICES), ("serve", ALL_APPS)):
        sub = commands.add_parser(verb, help=f"{verb} one app")
        sub.add_argument("app", choices=[*choices, "all"] if verb != "serve" else list(choices))
        if verb == "migrate":
            sub.add_argument(
                "--check",
                action="store_true",
                help="change nothing; exit 1 unless the schema is at this image's head",
            )
    args = parser.parse_args(argv)

    # `hues run` (make run): readable text, access lines only for errors and slow requests by default.
    app = getattr(args, "app", None)
    _log_setup(args.command, json_default=args.command == "serve", app=None if app == "all" else app)

    if args.command == "run" and args.distributed:
        from pathlib import Path

        from hues_launcher.distributed import run_distributed

        with contextlib.suppress(KeyboardInterrupt):
            run_distributed(Path("var") / "distributed")
        return
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
    if args.command == "migrate" and args.check:
        for name in names:
            asyncio.run(_check(name))
            print(f"check: {name} schema at head", file=sys.stderr)
        return
    action = _migrate if args.command == "migrate" else _seed
    for name in names:
        asyncio.run(action(name))
        print(f"{args.command}: {name} done", file=sys.stderr)


if __name__ == "__main__":
    main()
