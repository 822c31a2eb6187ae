"""The request body on its way upstream: small ones read whole (so they can be retried), the rest streamed
with the route's size limit enforced as the bytes arrive."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from starlette.types import Receive, Scope

from gateway.proxy.headers import header
from gateway.proxy.transports import Body
from hues_shared.problems import BadRequest, PayloadTooLarge


class ClientDisconnected(Exception):
    """The client went away before its request was read; nobody is left to answer."""


@dataclass
class RequestBody:
    content: Body
    replayable: bool
    too_large: bool = False  # set by the stream when it crossed the limit mid-way


def too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"The body exceeds this route's limit of {limit} bytes.", limit_bytes=limit)


async def read_request_body(scope: Scope, receive: Receive, *, limit: int, buffer_up_to: int) -> RequestBody:
    """Decide how the body travels; a declared Content-Length over the limit is refused before reading."""
    declared = header(scope, b"content-length")
    chunked = header(scope, b"transfer-encoding") is not None
    if declared is None and not chunked:
        return RequestBody(None, replayable=True)
    length = None
    if declared is not None:
        if not declared.isdigit():
            raise BadRequest("Content-Length is not a number.")
        length = int(declared)
        if length > limit:
            raise too_large(limit)
        if length == 0:
            return RequestBody(b"", replayable=True)
    if length is not None and length <= buffer_up_to:
        return RequestBody(await _read_all(receive), replayable=True)
    body = RequestBody(None, replayable=False)
    body.content = _stream(receive, limit=limit, body=body)
    return body


async def _read_all(receive: Receive) -> bytes:
    parts = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnected()
        parts.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(parts)


async def _stream(receive: Receive, *, limit: int, body: RequestBody) -> AsyncIterator[bytes]:
    received = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnected()
        chunk = message.get("body", b"")
        received += len(chunk)
        if received > limit:
            body.too_large = True
            raise too_large(limit)
        if chunk:
            yield chunk
        if not message.get("more_body", False):
            return
