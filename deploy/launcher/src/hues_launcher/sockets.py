"""Listening sockets bound by the launcher, so a port in use is one clear line, not a traceback (issue 14.13),
and an app can serve its management port beside its public one (issue 7.15)."""

from __future__ import annotations

import errno
import socket

from hues_launcher.registry import AppEntry
from hues_shared.settings import ServiceSettings


class PortInUse(SystemExit):
    """Exits the launcher with one line naming the port and the variable that sets it."""


def env_variable(entry: AppEntry, field: str) -> str:
    prefix = str(entry.settings_class().model_config.get("env_prefix", ""))
    return f"{prefix}{field}".upper()


def bind(host: str, port: int, *, variable: str) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(
                f"hues: port {port} on {host} is already in use; stop what holds it"
                f" or set {variable} to a free port"
            ) from None
        raise PortInUse(f"hues: cannot listen on {host}:{port} ({exc.strerror}); check {variable}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def app_sockets(entry: AppEntry, settings: ServiceSettings) -> list[socket.socket]:
    """The public socket, plus the management one when `<PREFIX>MANAGEMENT_PORT` is set."""
    sockets = [bind(settings.host, settings.port, variable=env_variable(entry, "port"))]
    if settings.management_port is not None:
        try:
            sockets.append(
                bind(settings.host, settings.management_port, variable=env_variable(entry, "management_port"))
            )
        except BaseException:
            sockets[0].close()
            raise
    return sockets
