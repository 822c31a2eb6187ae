"""Gateway bench: requests/s and p50/p99 through the gateway vs the same upstream called directly.

One run, same machine, every server its own uvicorn process on loopback, a valid JWT on every request:
  1. saturation: a closed loop of CONCURRENCY keep-alive connections for DURATION seconds;
  2. half load: an open loop at half the gateway's saturation rate (latency counted from the scheduled
     send time, so queueing is not hidden), against both targets at the same offered rate.
The load generator is a minimal asyncio HTTP/1.1 client (pre-built request bytes), cheap enough that it
is not what is measured.
Upstreams: notification-service's GET /v1/inbox (a real protected route: JWT verified again, database read)
and a bare JSON route (the worst case for the ratio: the gateway then costs more than the upstream).
Usage:  .venv/bin/python bench/gateway/run.py [--duration 10] [--clients aiohttp,httpx] [--upstreams ...]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import uvloop

from hues_shared.testing.infrastructure import free_port, wait_for_port
from hues_shared.testing.tokens import SigningKeys

sys.path.insert(0, str(Path(__file__).resolve().parent))
from partners import PARTNER_ISSUER, Partner

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BIN = Path(sys.executable).parent


@dataclass
class Result:
    target: str
    mode: str
    requests: int
    seconds: float
    latencies: list[float]
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


class Connection:
    """One keep-alive HTTP/1.1 connection sending a fixed request; returns the status code."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer)

    async def send(self, request: bytes) -> int:
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        lower = head.lower()
        marker = lower.find(b"content-length:")
        if marker >= 0:
            end = lower.index(b"\r\n", marker)
            await self.reader.readexactly(int(lower[marker + 15 : end]))
        elif b"transfer-encoding: chunked" in lower:
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        return status

    def close(self) -> None:
        self.writer.close()


def request_bytes(path: str, token: str) -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        "Accept: application/json\r\n\r\n"
    ).encode()


Requests = Callable[[], bytes]  # the next request's bytes (constant, or from a pool of signed ones)


def constant(request: bytes) -> Requests:
    return lambda: request


async def saturate(port: int, request: Requests, *, concurrency: int, duration: float, target: str) -> Result:
    """Closed loop: each connection sends its next request as soon as the previous answer arrived."""
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + duration

    async def worker() -> None:
        nonlocal errors
        connection = await Connection.open(port)
        try:
            while time.perf_counter() < deadline:
                payload = request()
                started = time.perf_counter()
                if await connection.send(payload) != 200:
                    errors += 1
                latencies.append(time.perf_counter() - started)
        finally:
            connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Result(target, "saturation", len(latencies), time.perf_counter() - started, latencies, errors)


async def offer(port: int, request: Requests, *, rate: float, duration: float, target: str) -> Result:
    """Open loop at a fixed rate; latency from the scheduled send time (no coordinated omission)."""
    idle: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(16):
        idle.put_nowait(await Connection.open(port))
    latencies: list[float] = []
    errors = 0
    tasks: set[asyncio.Task[None]] = set()

    async def one(scheduled: float) -> None:
        nonlocal errors
        connection = idle.get_nowait() if not idle.empty() else await Connection.open(port)
        if await connection.send(request()) != 200:
            errors += 1
        latencies.append(time.perf_counter() - scheduled)
        idle.put_nowait(connection)

    total = int(rate * duration)
    start = time.perf_counter()
    for i in range(total):
        scheduled = start + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(one(scheduled))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    while not idle.empty():
        idle.get_nowait().close()
    return Result(target, "half load", len(latencies), elapsed, latencies, errors)


@contextlib.contextmanager
def process(args: list[str], *, port: int, env: dict[str, str] | None = None) -> Iterator[None]:
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        if not wait_for_port(port, timeout=60):
            raise RuntimeError(f"{args} did not start")
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def gateway_env(*, port: int, upstream: str, service: str, client: str) -> dict[str, str]:
    return os.environ | {
        "GATEWAY_PORT": str(port),
        "GATEWAY_UPSTREAM_CATALOG_URL": upstream,
        "GATEWAY_UPSTREAM_NOTIFICATION_URL": service,
        "GATEWAY_ROUTES_FILE": str(HERE / "routes.toml"),
        "GATEWAY_JWKS_URL": f"{upstream}/jwks.json",
        "GATEWAY_UPSTREAM_CLIENT": client,
        "GATEWAY_ENVIRONMENT": "test",
        "HUES_LOG_LEVEL": "INFO",  # the JSON access log is written, as in production (to /dev/null here)
    }


def service_env(*, port: int, jwks_url: str, workdir: Path) -> dict[str, str]:
    """notification-service as deployed: verifies the JWT itself (defense in depth) and reads its database."""
    return os.environ | {
        "NOTIFICATION_PORT": str(port),
        "NOTIFICATION_DATABASE_URL": f"sqlite+aiosqlite:///{workdir}/notification.db",
        "NOTIFICATION_JWKS_URL": jwks_url,
        "NOTIFICATION_ENVIRONMENT": "test",
        "HUES_LOG_LEVEL": "INFO",
    }


async def measure(port: int, request: Requests, *, target: str, args: argparse.Namespace) -> Result:
    await saturate(port, request, concurrency=args.concurrency, duration=2, target=target)  # warm-up
    return await saturate(port, request, concurrency=args.concurrency, duration=args.duration, target=target)


def table(results: list[Result]) -> str:
    lines = ["| target | mode | requests/s | p50 ms | p99 ms | errors |", "|---|---|---:|---:|---:|---:|"]
    for r in results:
        lines.append(
            f"| {r.target} | {r.mode} | {r.rps:,.0f} | {r.pct(0.5):.2f} | {r.pct(0.99):.2f} | {r.errors} |"
        )
    return "\n".join(lines)


async def bench(args: argparse.Namespace) -> None:
    keys = SigningKeys()
    token = keys.token(sub="bench-account", expires_in=3600)
    workdir = Path(tempfile.mkdtemp(prefix="gateway-bench-"))
    (workdir / "jwks.json").write_text(json.dumps(keys.jwks()))
    upstream_port, service_port = free_port(), free_port()
    upstream = f"http://127.0.0.1:{upstream_port}"
    service_url = f"http://127.0.0.1:{service_port}"
    results: list[Result] = []
    summary: dict[str, dict[str, float]] = {}
    upstream_cmd = [
        sys.executable,
        str(HERE / "upstream.py"),
        "--port",
        str(upstream_port),
        "--jwks",
        str(workdir / "jwks.json"),
    ]
    env = service_env(port=service_port, jwks_url=f"{upstream}/jwks.json", workdir=workdir)
    # Before any load runs, so blocking here costs nothing measured.
    subprocess.run([str(BIN / "hues"), "migrate", "notification"], env=env, check=True, capture_output=True)  # noqa: ASYNC221
    targets = {"trivial": (upstream_port, "/v1/bench"), "service": (service_port, "/v1/inbox")}
    public = {"trivial": "/v1/bench", "service": "/v1/notification/inbox"}
    with (
        process(upstream_cmd, port=upstream_port),
        process([str(BIN / "hues"), "serve", "notification"], port=service_port, env=env),
    ):
        for kind in args.upstreams.split(","):
            if kind == "signed":
                continue  # measured below, beside unsigned calls through the same gateway
            direct_port, direct_path = targets[kind]
            direct_request = constant(request_bytes(direct_path, token))
            direct = await measure(direct_port, direct_request, target=f"{kind}: direct", args=args)
            results.append(direct)
            for client in args.clients.split(","):
                port = free_port()
                gw_env = gateway_env(port=port, upstream=upstream, service=service_url, client=client)
                via_request = constant(request_bytes(public[kind], token))
                with process([str(BIN / "hues"), "serve", "gateway"], port=port, env=gw_env):
                    via = await measure(port, via_request, target=f"{kind}: gateway ({client})", args=args)
                    rate = via.rps / 2
                    half_direct = await offer(
                        direct_port,
                        direct_request,
                        rate=rate,
                        duration=args.duration,
                        target=f"{kind}: direct",
                    )
                    half_via = await offer(
                        port,
                        via_request,
                        rate=rate,
                        duration=args.duration,
                        target=f"{kind}: gateway ({client})",
                    )
                results += [via, half_direct, half_via]
                summary[f"{kind}/{client}"] = {
                    "throughput_ratio": round(via.rps / direct.rps, 3),
                    "half_load_rate": round(rate),
                    "added_p50_ms_at_half_load": round(half_via.pct(0.5) - half_direct.pct(0.5), 3),
                    "added_p99_ms_at_half_load": round(half_via.pct(0.99) - half_direct.pct(0.99), 3),
                }
        if "signed" in args.upstreams.split(","):
            await bench_signed(
                args,
                keys=keys,
                token=token,
                upstream=upstream,
                service_url=service_url,
                results=results,
                summary=summary,
            )
    print(table(results))
    print()
    print(
        json.dumps(
            {
                "cpus": os.cpu_count(),
                "concurrency": args.concurrency,
                "duration_s": args.duration,
                "by_client": summary,
            },
            indent=2,
        )
    )
    print("\ntargets (service upstream): throughput ratio >= 0.6, added p50 at half load < 2 ms")


async def bench_signed(
    args: argparse.Namespace,
    *,
    keys: SigningKeys,
    token: str,
    upstream: str,
    service_url: str,
    results: list[Result],
    summary: dict[str, dict[str, float]],
) -> None:
    """Signed partner calls (RFC 9421, ed25519, single-use nonces, registry fed over Kafka) beside unsigned
    account calls, through the same gateway process to the same trivial upstream route (issue 9)."""
    from hues_shared.testing.infrastructure import TansuBroker, tansu_binary

    binary = tansu_binary()
    if binary is None:
        print("signed: skipped (no Tansu broker binary)")
        return
    broker = TansuBroker(binary=binary, port=free_port())
    broker.start()
    try:
        partner = Partner(keys)
        await partner.announce(broker.bootstrap)
        for client in args.clients.split(","):
            port = free_port()
            env = gateway_env(port=port, upstream=upstream, service=service_url, client=client) | {
                "GATEWAY_BUS": "kafka",
                "GATEWAY_KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap,
                "GATEWAY_KAFKA_IDEMPOTENT_PRODUCER": "false",
                "GATEWAY_PARTNER_ISSUER": PARTNER_ISSUER,
                "GATEWAY_PARTNER_JWKS_URL": f"{upstream}/jwks.json",
            }
            with process([str(BIN / "hues"), "serve", "gateway"], port=port, env=env):
                await _until_admitted(port, partner)
                unsigned = await measure(
                    port,
                    constant(request_bytes("/v1/bench", token)),
                    target=f"unsigned: gateway ({client})",
                    args=args,
                )
                pool = partner.pool(port, "/v1/partner/bench", args.signed_pool)
                signed = await measure(port, pool, target=f"signed: gateway ({client})", args=args)
            results += [unsigned, signed]
            summary[f"signed/{client}"] = {
                "signed_over_unsigned_throughput": round(signed.rps / unsigned.rps, 3),
                "signing_cost": round(1 - signed.rps / unsigned.rps, 3),
                "added_p50_ms": round(signed.pct(0.5) - unsigned.pct(0.5), 3),
            }
    finally:
        broker.stop()


async def _until_admitted(port: int, partner: Partner) -> None:
    """The gateway learns the partner's key from the broker; wait for the first admitted signed call."""
    connection = await Connection.open(port)
    try:
        for _ in range(300):
            if await connection.send(partner.request(port, "/v1/partner/bench")) == 200:
                return
            await asyncio.sleep(0.1)
        raise RuntimeError("the gateway never admitted the bench partner")
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument(
        "--clients", default="aiohttp,httpx", help="upstream clients to compare, comma-separated"
    )
    parser.add_argument(
        "--upstreams",
        default="service,trivial,signed",
        help="service = notification-service GET /v1/inbox (JWT + database); trivial = a bare JSON route; "
        "signed = signed partner calls beside unsigned ones through one gateway (needs the Tansu broker)",
    )
    parser.add_argument(
        "--signed-pool", type=int, default=300_000, help="signed requests made before timing (one nonce each)"
    )
    uvloop.run(bench(parser.parse_args()))


if __name__ == "__main__":
    main()
