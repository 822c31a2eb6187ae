"""Outbound HTTP to partner-supplied URLs without server-side request forgery (SSRF).

Every service that calls a URL a partner typed in (conformance checks, webhook deliveries, partner
callbacks) uses `OutboundGuard.client()`. The guard sits at the socket: each TCP connection, including
every redirect hop, resolves the host itself, refuses the connection if ANY resolved address is loopback,
private, link-local, cloud metadata, multicast or otherwise not public, and then connects to the very
address it checked (so a DNS answer that changes between check and connect - DNS rebinding - cannot
slip through). Redirects are re-checked for scheme too (https only when `require_https`).
Loopback is allowed only when a setting says so (tests with local receivers).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from typing import Any, Protocol

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud metadata endpoints (AWS/GCP/Azure/OpenStack 169.254.169.254, AWS IPv6, Alibaba).
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200", "169.254.170.2")
)
SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT, never a partner


class BlockedDestination(httpx.TransportError):
    """The URL may not be called; `rule` names the rule of the connection standard it breaks.

    An httpx transport error, so callers that handle network failures handle this one too."""

    def __init__(self, rule: str, detail: str) -> None:
        super().__init__(detail)
        self.rule = rule
        self.detail = detail


class Resolver(Protocol):
    async def resolve(self, host: str, port: int) -> list[str]:
        """Every address `host` resolves to."""
        ...


class SystemResolver:
    async def resolve(self, host: str, port: int) -> list[str]:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        return list(dict.fromkeys(str(info[4][0]) for info in infos))


def address_refusal(ip: IPAddress, *, allow_loopback: bool) -> tuple[str, str] | None:
    """(rule, why) when `ip` is not a public address a partner endpoint may have, else None."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in METADATA_ADDRESSES:
        return "url.metadata-address", f"{ip} is a cloud metadata address"
    if ip.is_loopback:
        return None if allow_loopback else ("url.loopback-address", f"{ip} is a loopback address")
    if ip.is_link_local:
        return "url.link-local-address", f"{ip} is a link-local address"
    if ip.is_multicast or ip.is_unspecified or ip.is_reserved:
        return "url.non-public-address", f"{ip} is not a public address"
    if ip.is_private or (isinstance(ip, ipaddress.IPv4Address) and ip in SHARED_ADDRESS_SPACE):
        return "url.private-address", f"{ip} is a private address"
    if not ip.is_global:
        return "url.non-public-address", f"{ip} is not a public address"
    return None


class OutboundGuard:
    """The policy for one service's outbound calls to partner URLs."""

    def __init__(
        self,
        *,
        allow_loopback: bool = False,
        require_https: bool = False,
        resolver: Resolver | None = None,
    ) -> None:
        self.allow_loopback = allow_loopback
        self.require_https = require_https
        self.resolver: Resolver = resolver or SystemResolver()

    def check_url(self, url: str | httpx.URL) -> httpx.URL:
        """Scheme, credentials and literal-address checks that need no DNS."""
        parsed = httpx.URL(str(url))
        if parsed.scheme not in ("https", "http"):
            raise BlockedDestination("url.scheme", f"{parsed.scheme or 'no'} scheme: only https is called")
        if parsed.scheme != "https" and self.require_https:
            raise BlockedDestination("url.https-required", f"{parsed.host}: https is required in production")
        if not parsed.host:
            raise BlockedDestination("url.host", "the URL has no host")
        if parsed.userinfo:
            raise BlockedDestination("url.credentials", "credentials in URLs are not accepted")
        try:
            literal: IPAddress | None = ipaddress.ip_address(parsed.host)
        except ValueError:
            literal = None
        if literal is not None and (refusal := address_refusal(literal, allow_loopback=self.allow_loopback)):
            raise BlockedDestination(*refusal)
        return parsed

    async def resolve_checked(self, host: str, port: int) -> list[str]:
        """Resolve and check every address (one bad answer refuses the host: attackers mix answers)."""
        try:
            addresses = await self.resolver.resolve(host, port)
        except OSError as exc:
            raise BlockedDestination("url.unresolvable", f"{host} does not resolve: {exc}") from exc
        if not addresses:
            raise BlockedDestination("url.unresolvable", f"{host} does not resolve")
        for address in addresses:
            refusal = address_refusal(ipaddress.ip_address(address), allow_loopback=self.allow_loopback)
            if refusal is not None:
                raise BlockedDestination(refusal[0], f"{host} resolves to {refusal[1]}")
        return addresses

    async def check_destination(self, url: str) -> None:
        """The full check without calling: scheme, then every address the host resolves to."""
        parsed = self.check_url(url)
        await self.resolve_checked(parsed.host, parsed.port or (443 if parsed.scheme == "https" else 80))

    def client(
        self,
        *,
        timeout: float | httpx.Timeout = 5.0,
        follow_redirects: bool = True,
        max_redirects: int = 3,
        max_connections: int = 100,
        headers: dict[str, str] | None = None,
    ) -> httpx.AsyncClient:
        """An httpx client whose every request and every connection goes through this guard."""

        async def check_request(request: httpx.Request) -> None:
            self.check_url(request.url)  # every hop of a redirect chain too

        return httpx.AsyncClient(
            transport=GuardedTransport(self, max_connections=max_connections),
            timeout=timeout,
            follow_redirects=follow_redirects,
            max_redirects=max_redirects,
            trust_env=False,  # never through an environment proxy that would resolve for us
            headers=headers,
            event_hooks={"request": [check_request]},
        )


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolve, check, connect to the checked address; TLS still verifies the original host name."""

    def __init__(self, guard: OutboundGuard) -> None:
        self.guard = guard
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self.guard.resolve_checked(host, port)
        return await self.inner.connect_tcp(
            addresses[0], port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedDestination("url.scheme", "unix sockets are never called")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over a connection pool whose network backend is the guard."""

    def __init__(self, guard: OutboundGuard, *, max_connections: int = 100) -> None:
        super().__init__(trust_env=False)
        # httpx builds its pool privately; rebuild it with our backend (same options otherwise).
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=max_connections,
            max_keepalive_connections=min(20, max_connections),
            keepalive_expiry=5.0,
            network_backend=_GuardedBackend(guard),
        )


def blocked_reason(exc: BaseException) -> BlockedDestination | None:
    """The guard's refusal inside an httpx error chain (httpx wraps transport exceptions), or None."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, BlockedDestination):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None
