"""The request body on its way upstream: small ones read whole before any upstream is involved (so they can
be retried and a slow client never holds an upstream slot), the rest streamed with the route's size limit
and the client's pace enforced as the bytes arrive.

Issue 7, item 2: a client that sends its body slowly is the client's fault, not the upstream's. The body
must keep a minimum average rate after a grace period and never pause longer than the idle timeout;
otherwise the gateway answers 408 and the upstream's circuit breaker does not hear of it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from starlette.types import Message, Receive, Scope

from gateway.proxy.headers import header
from gateway.proxy.transports import Body
from hues_shared.problems import BadRequest, PayloadTooLarge, ProblemError


class ClientDisconnected(Exception):
    """The client went away before its request was read; nobody is left to answer."""


@dataclass(frozen=True)
class BodyPace:
    """How slowly a client may send its body (Kestrel's MinRequestBodyDataRate is the model)."""

    idle_seconds: float = 10.0  # longest pause between two chunks
    min_bytes_per_second: float = 512.0  # average rate required once the grace period is over
    grace_seconds: float = 5.0


@dataclass
class RequestBody:
    content: Body
    replayable: bool
    # Set by the stream when the client broke the rules mid-way (too large, too slow, gone): the upstream
    # call then fails, and this, not the upstream, is to blame.
    failure: BaseException | None = None


def too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"The body exceeds this route's limit of {limit} bytes.", limit_bytes=limit)


def too_slow(pace: BodyPace) -> ProblemError:
    return ProblemError(
        f"The request body arrived too slowly (pauses over {pace.idle_seconds:g} s or under "
        f"{pace.min_bytes_per_second:g} bytes/s on average); send it again.",
        status=408,
        slug="request-body-timeout",
        title="Request body timeout",
        headers={"Connection": "close"},
    )


class _Reader:
    """Receives body chunks under the size limit and the pace rules."""

    def __init__(self, receive: Receive, *, limit: int, pace: BodyPace) -> None:
        self.receive = receive
        self.limit = limit
        self.pace = pace
        self.received = 0
        self.started = time.monotonic()
        self.done = False

    async def next_chunk(self) -> bytes:
        try:
            message: Message = await asyncio.wait_for(self.receive(), timeout=self._wait_allowed())
        except TimeoutError as exc:
            raise too_slow(self.pace) from exc
        if message["type"] == "http.disconnect":
            raise ClientDisconnected()
        chunk: bytes = message.get("body", b"")
        self.received += len(chunk)
        if self.received > self.limit:
            raise too_large(self.limit)
        self.done = not message.get("more_body", False)
        return chunk

    def _wait_allowed(self) -> float:
        """The pause allowed before the next chunk: the idle limit, shortened so the average rate holds."""
        pace = self.pace
        elapsed = time.monotonic() - self.started
        # The rate rule is broken at the moment received < rate * (t - grace).
        deadline = (
            pace.grace_seconds + self.received / pace.min_bytes_per_second
            if pace.min_bytes_per_second
            else float("inf")
        )
        remaining = deadline - elapsed
        if remaining <= 0:
            raise too_slow(pace)
        return min(pace.idle_seconds, remaining)


async def read_request_body(
    scope: Scope, receive: Receive, *, limit: int, buffer_up_to: int, pace: BodyPace
) -> RequestBody:
    """Decide how the body travels; a declared Content-Length over the limit is refused before reading.

    Up to `buffer_up_to` bytes are read here, whether declared or chunked, before anything is sent upstream;
    only a body larger than that is streamed (and then its pace is still checked chunk by chunk).
    """
    declared = header(scope, b"content-length")
    chunked = header(scope, b"transfer-encoding") is not None
    if declared is None and not chunked:
        return RequestBody(None, replayable=True)
    if declared is not None:
        if not declared.isdigit():
            raise BadRequest("Content-Length is not a number.")
        length = int(declared)
        if length > limit:
            raise too_large(limit)
        if length == 0:
            return RequestBody(b"", replayable=True)
    reader = _Reader(receive, limit=limit, pace=pace)
    parts: list[bytes] = []
    size = 0
    while not reader.done and size <= buffer_up_to:
        chunk = await reader.next_chunk()
        parts.append(chunk)
        size += len(chunk)
    if reader.done:
        return RequestBody(b"".join(parts), replayable=True)
    body = RequestBody(None, replayable=False)
    body.content = _stream(reader, parts, body)
    return body


async def _stream(reader: _Reader, head: list[bytes], body: RequestBody) -> AsyncIterator[bytes]:
    for chunk in head:
        if chunk:
            yield chunk
    while not reader.done:
        try:
            chunk = await reader.next_chunk()
        except BaseException as exc:
            body.failure = exc
            raise
        if chunk:
            yield chunk
