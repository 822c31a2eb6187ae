"""Which headers cross the gateway, and who the client is (X-Forwarded-For only from trusted proxies)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from starlette.types import Scope

from hues_shared.net import TrustedProxies, client_address, header

__all__ = ["TrustedProxies", "client_address", "header"]

# RFC 9110, 7.6.1: connection-specific fields are never forwarded.
HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
        b"proxy-connection",
    }
)
# Rebuilt by the gateway: a client must not choose its own address, request id or trace parent upstream.
_REBUILT_REQUEST = frozenset(
    {
        b"host",
        b"x-forwarded-for",
        b"x-forwarded-host",
        b"x-forwarded-proto",
        b"forwarded",
        b"x-real-ip",
        b"x-request-id",
        b"traceparent",
    }
)
# Set by the gateway's own server and middleware on the way out; the upstream's copies would duplicate them.
_REPLACED_RESPONSE = frozenset({b"server", b"date", b"x-request-id", b"traceparent"})


def connection_tokens(scope: Scope) -> frozenset[bytes]:
    value = header(scope, b"connection")
    return frozenset(t.strip().lower().encode() for t in value.split(",")) if value else frozenset()


def upstream_request_headers(
    scope: Scope,
    *,
    request_id: str,
    traceparent: str | None,
    forwarded_for: Sequence[str],
    proto: str,
    host: str | None,
) -> list[tuple[str, str]]:
    """The caller's headers (Authorization included, untouched) minus hop-by-hop, plus the gateway's."""
    dropped = HOP_BY_HOP | _REBUILT_REQUEST | connection_tokens(scope)
    headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"] if k not in dropped]
    headers.append(("X-Request-ID", request_id))
    if traceparent:
        headers.append(("traceparent", traceparent))
    headers.append(("X-Forwarded-For", ", ".join(forwarded_for)))
    headers.append(("X-Forwarded-Proto", proto))
    if host:
        headers.append(("X-Forwarded-Host", host))
    return headers


def downstream_response_headers(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The upstream's response headers as the client may see them."""
    dropped = HOP_BY_HOP | _REPLACED_RESPONSE
    return [(k.lower(), v) for k, v in headers if k.lower() not in dropped]
