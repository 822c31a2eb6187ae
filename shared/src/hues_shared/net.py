"""Who the client is: X-Forwarded-For believed only from trusted proxies (the gateway, load balancers)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from functools import lru_cache

from starlette.types import Scope


class TrustedProxies:
    """Addresses or CIDR networks of the proxies in front of an app (pod addresses change, ranges don't)."""

    def __init__(self, entries: Iterable[str]) -> None:
        self.networks = [ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip()]

    def __bool__(self) -> bool:
        return bool(self.networks)

    def trusts(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)


@lru_cache(maxsize=32)
def trusted_proxies(entries: tuple[str, ...]) -> TrustedProxies:
    """Parsed once per distinct setting value."""
    return TrustedProxies(entries)


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def client_address(scope: Scope, trusted: TrustedProxies) -> tuple[str, list[str]]:
    """The client's address and the X-Forwarded-For chain to pass on.

    Behind trusted proxies, the right-most address in X-Forwarded-For that is not itself a trusted proxy
    is the client (entries further left were written by the client and prove nothing).
    """
    peer = str(scope["client"][0]) if scope.get("client") else "-"
    if not trusted or not trusted.trusts(peer):
        return peer, [peer]
    forwarded = header(scope, b"x-forwarded-for")
    chain = [part.strip() for part in forwarded.split(",") if part.strip()] if forwarded else []
    chain.append(peer)
    for address in reversed(chain):
        if not trusted.trusts(address):
            try:
                return str(ipaddress.ip_address(address)), chain
            except ValueError:
                return peer, [peer]
    return chain[0], chain


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now (for processes started on this machine)."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])
