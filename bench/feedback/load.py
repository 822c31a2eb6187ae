"""The bench's load generator: keep-alive HTTP/1.1 connections cheap enough not to be what is measured."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from hues_shared.testing.infrastructure import wait_for_port

ROOT = Path(__file__).resolve().parents[2]


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


class Connection:
    """One keep-alive HTTP/1.1 connection (a cheap load generator, so it is not what is measured)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        return cls(*await asyncio.open_connection("127.0.0.1", port))

    async def send(self, request: bytes) -> tuple[int, bytes]:
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lower = head.lower()
        marker = lower.find(b"content-length:")
        body = b""
        if marker >= 0:
            end = lower.index(b"\r\n", marker)
            body = await self.reader.readexactly(int(lower[marker + 15 : end]))
        return int(head[9:12]), body

    def close(self) -> None:
        self.writer.close()


def http(
    method: str, path: str, *, token: str | None = None, body: bytes = b"", content_type: str = ""
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Accept: application/json"]
    if token:
        lines.append(f"Authorization: Bearer {token}")
    if body:
        lines += [f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def multipart(data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


@contextlib.contextmanager
def process(args: list[str], *, port: int, env: dict[str, str]) -> Iterator[None]:
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        if not wait_for_port(port, timeout=60):
            raise RuntimeError(f"{args} did not start")
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=20)


async def closed_loop(
    port: int, requests: list[bytes], *, concurrency: int, seconds: float
) -> tuple[float, int]:
    """Each connection sends its next request when the last answer came; returns (per second, errors)."""
    done, errors = 0, 0
    deadline = time.perf_counter() + seconds

    async def worker(offset: int) -> None:
        nonlocal done, errors
        connection = await Connection.open(port)
        i = offset
        try:
            while time.perf_counter() < deadline:
                status, _ = await connection.send(requests[i % len(requests)])
                i += concurrency
                done += 1
                errors += status >= 400
        finally:
            connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(concurrency)))
    return done / (time.perf_counter() - started), errors
