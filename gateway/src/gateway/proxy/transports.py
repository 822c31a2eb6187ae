"""Upstream HTTP clients behind one small interface, so bench/gateway can compare aiohttp and httpx."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import Literal, Protocol

import aiohttp
import httpx
from yarl import URL

Body = bytes | AsyncIterator[bytes] | None
ErrorKind = Literal["connect", "timeout", "protocol"]
_SKIP_AUTO_HEADERS = ("User-Agent", "Accept", "Accept-Encoding", "Content-Type")


class UpstreamError(Exception):
    """The upstream could not be reached or did not answer properly; `kind` decides 502 vs 504 and retries."""

    def __init__(self, kind: ErrorKind, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind


class UpstreamResponse(Protocol):
    @property
    def status(self) -> int: ...
    @property
    def headers(self) -> Sequence[tuple[bytes, bytes]]: ...

    def body(self) -> AsyncIterator[tuple[bytes, bool]]:
        """Chunks as they arrive, each with whether it is known to be the last one."""
        ...

    async def close(self) -> None: ...


class UpstreamTransport(Protocol):
    async def send(
        self, method: str, url: str, *, headers: list[tuple[str, str]], body: Body, time_limit: float
    ) -> UpstreamResponse:
        """Send the request and return once the response head arrived (body not read yet)."""
        ...

    async def close(self) -> None: ...


def _upstream_paced(body: Body, deadline: asyncio.Timeout, time_limit: float) -> Body:
    """Run the upstream's clock only while the upstream is the one we wait for.

    A buffered body: the time limit starts now. A streamed body: the clock stops while the next chunk is
    awaited from the client (the client's pace is checked by the body reader), runs while the upstream
    takes each chunk, and restarts for the response head once the last chunk was handed over. So a slow
    client never turns into an upstream timeout (issue 7, item 2).
    """
    loop = asyncio.get_running_loop()
    if body is None or isinstance(body, bytes):
        deadline.reschedule(loop.time() + time_limit)
        return body
    chunks = body

    async def paced() -> AsyncIterator[bytes]:
        iterator = chunks.__aiter__()
        while True:
            deadline.reschedule(None)
            try:
                chunk = await anext(iterator)
            except StopAsyncIteration:
                break
            except BaseException:
                deadline.reschedule(loop.time() + 1.0)  # the request is lost; do not wait for a head
                raise
            deadline.reschedule(loop.time() + time_limit)
            yield chunk
        deadline.reschedule(loop.time() + time_limit)

    return paced()


class _AiohttpResponse:
    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response
        self.status = response.status
        self.headers = response.raw_headers

    async def body(self) -> AsyncIterator[tuple[bytes, bool]]:
        content = self._response.content
        try:
            async for chunk in content.iter_any():
                yield chunk, content.at_eof()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise UpstreamError("protocol", "upstream response broke off") from exc

    async def close(self) -> None:
        self._response.release()


class AiohttpTransport:
    """The default: the lower per-request overhead of the two (see docs/performance.md, gateway section)."""

    def __init__(self, *, connections: int, connect_timeout: float) -> None:
        self.connect_timeout = connect_timeout
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:  # created lazily inside the running loop
            connector = aiohttp.TCPConnector(limit=self._connections, limit_per_host=0, ttl_dns_cache=300)
            self._session = aiohttp.ClientSession(
                connector=connector,
                auto_decompress=False,
                cookie_jar=aiohttp.DummyCookieJar(),
                trust_env=False,
            )
        return self._session

    async def send(
        self, method: str, url: str, *, headers: list[tuple[str, str]], body: Body, time_limit: float
    ) -> UpstreamResponse:
        client_timeout = aiohttp.ClientTimeout(
            total=None, sock_connect=self.connect_timeout, sock_read=time_limit
        )
        try:
            async with asyncio.timeout(None) as deadline:
                response = await self._client().request(
                    method,
                    URL(url, encoded=True),  # sent as built: no dot-segment normalisation, no requoting
                    headers=headers,
                    data=_upstream_paced(body, deadline, time_limit),
                    allow_redirects=False,
                    timeout=client_timeout,
                    skip_auto_headers=_SKIP_AUTO_HEADERS,
                    compress=None,
                )
        except TimeoutError as exc:  # also aiohttp's ServerTimeoutError
            raise UpstreamError("timeout", "upstream did not answer in time") from exc
        except aiohttp.ClientConnectorError as exc:
            raise UpstreamError("connect", "upstream not reachable") from exc
        except aiohttp.ClientError as exc:
            raise UpstreamError("protocol", "upstream connection failed") from exc
        return _AiohttpResponse(response)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


class _HttpxResponse:
    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self.status = response.status_code
        self.headers = response.headers.raw

    async def body(self) -> AsyncIterator[tuple[bytes, bool]]:
        try:
            async for chunk in self._response.aiter_raw():
                yield chunk, False
        except httpx.HTTPError as exc:
            raise UpstreamError("protocol", "upstream response broke off") from exc

    async def close(self) -> None:
        await self._response.aclose()


class HttpxTransport:
    def __init__(self, *, connections: int, connect_timeout: float) -> None:
        self.connect_timeout = connect_timeout
        self._client = httpx.AsyncClient(
            limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
            follow_redirects=False,
            trust_env=False,
        )
        self._client.headers = httpx.Headers()  # forward the caller's headers only, add none

    async def send(
        self, method: str, url: str, *, headers: list[tuple[str, str]], body: Body, time_limit: float
    ) -> UpstreamResponse:
        try:
            async with asyncio.timeout(None) as deadline:
                request = self._client.build_request(
                    method,
                    url,
                    headers=headers,
                    content=_upstream_paced(body, deadline, time_limit),
                    timeout=httpx.Timeout(time_limit, connect=self.connect_timeout),
                )
                response = await self._client.send(request, stream=True)
        except (TimeoutError, httpx.TimeoutException) as exc:
            raise UpstreamError("timeout", "upstream did not answer in time") from exc
        except httpx.ConnectError as exc:
            raise UpstreamError("connect", "upstream not reachable") from exc
        except httpx.HTTPError as exc:
            raise UpstreamError("protocol", "upstream connection failed") from exc
        return _HttpxResponse(response)

    async def close(self) -> None:
        await self._client.aclose()


def build_transport(kind: str, *, connections: int, connect_timeout: float) -> UpstreamTransport:
    if kind == "httpx":
        return HttpxTransport(connections=connections, connect_timeout=connect_timeout)
    return AiohttpTransport(connections=connections, connect_timeout=connect_timeout)
