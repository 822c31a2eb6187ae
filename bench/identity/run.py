"""identity-service benchmark: password-login throughput beside raw Argon2 hashing (their ratio), token
verifications per second, and login / lookup latency with N accounts bulk-loaded into a fresh PostgreSQL
database through the real encryption and blind-index code paths.

    .venv/bin/python bench/identity/run.py --accounts 1000000          # the full run (Hue-S: 1.3 million)
    .venv/bin/python bench/identity/run.py --accounts 20000 --logins 64  # a quick run

PostgreSQL comes from --database-url (default TEST_DATABASE_URL or postgres@127.0.0.1:5432); a database
named hues_bench_identity_<random> is created and dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from asgi_lifespan import LifespanManager

from hues_shared.auth.jwks import JwksCache, TokenVerifier
from hues_shared.migrations import upgrade
from hues_shared.testing.infrastructure import PostgresServer
from identity_service.accounts.service import find_by_username
from identity_service.components import IdentityComponents, build_components, identity_components
from identity_service.config import IdentitySettings
from identity_service.main import MIGRATIONS_DIR, create_app

PASSWORD = "Bench-Hue#2026x"
DEFAULT_ADMIN_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(int(len(ordered) * fraction), len(ordered) - 1)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def cccd(n: int) -> str:
    """A Hue (046) CCCD of a man born in 1985, unique per n below one million."""
    return f"046085{n:06d}"


def phone(n: int) -> str:
    return f"09{n:08d}"


def argon2_rate(components: IdentityComponents, *, samples: int, workers: int) -> float:
    """Raw Argon2id verifications per second (a login's dominant cost) with `workers` threads."""
    hashed = components.hasher.hash_now(PASSWORD)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda _: components.hasher.verify_now(PASSWORD, hashed), range(samples)))
    return samples / (time.perf_counter() - started)


def account_rows(
    components: IdentityComponents, start: int, stop: int, password_hash: str
) -> tuple[list, list]:
    """Accounts and identifiers exactly as registration stores them (AES-GCM fields, HMAC blind indexes)."""
    cipher, now = components.cipher, datetime.now(UTC)
    accounts, identifiers = [], []
    for n in range(start, stop):
        account_id = str(uuid.UUID(int=n + 1))
        document, mobile = cccd(n), phone(n)
        accounts.append(
            (
                account_id,
                "citizen",
                "active",
                f"Công dân {n}",
                date(1985, 1, 1),
                "male",
                "cccd",
                cipher.encrypt(document, field="document_number", owner_id=account_id),
                cipher.encrypt(mobile, field="phone", owner_id=account_id),
                password_hash,
                now,
                False,
                False,
                now,
                now,
                now,
            )
        )
        identifiers.append((cipher.blind_index("document", document), "document", account_id))
        identifiers.append((cipher.blind_index("phone", mobile), "phone", account_id))
    return accounts, identifiers


ACCOUNT_COLUMNS = [
    "id",
    "kind",
    "status",
    "display_name",
    "birth_date",
    "sex",
    "document_type",
    "document_number_enc",
    "phone_enc",
    "password_hash",
    "password_changed_at",
    "password_must_change",
    "totp_enabled",
    "created_at",
    "updated_at",
    "verified_at",
]


async def bulk_load(dsn: str, components: IdentityComponents, count: int, *, batch: int = 50_000) -> float:
    """COPY `count` accounts; one shared Argon2 hash (hashing a million passwords would take hours)."""
    password_hash = components.hasher.hash_now(PASSWORD)
    connection = await asyncpg.connect(dsn)
    started = time.perf_counter()
    try:
        for start in range(0, count, batch):
            accounts, identifiers = account_rows(components, start, min(start + batch, count), password_hash)
            await connection.copy_records_to_table("accounts", records=accounts, columns=ACCOUNT_COLUMNS)
            await connection.copy_records_to_table(
                "login_identifiers", records=identifiers, columns=["blind_index", "kind", "account_id"]
            )
            print(f"  loaded {min(start + batch, count):>9,} accounts", end="\r", file=sys.stderr, flush=True)
        await connection.execute("ANALYZE accounts; ANALYZE login_identifiers")
    finally:
        await connection.close()
    print(file=sys.stderr)
    return time.perf_counter() - started


async def timed(calls: list[Callable[[], Awaitable[Any]]], concurrency: int) -> tuple[float, list[float]]:
    """Run the calls `concurrency` at a time; returns (wall seconds, per-call latencies)."""
    latencies: list[float] = []
    gate = asyncio.Semaphore(concurrency)

    async def one(call: Callable[[], Awaitable[Any]]) -> None:
        async with gate:
            started = time.perf_counter()
            await call()
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(one(c) for c in calls))
    return time.perf_counter() - started, latencies


async def run(args: argparse.Namespace) -> None:
    server = PostgresServer(args.database_url)
    url = await server.create_database(prefix="hues_bench_identity")
    dsn = url.replace("postgresql+asyncpg", "postgresql")
    workers = args.concurrency
    settings = IdentitySettings(
        environment="test",
        database_url=url,
        log_json=False,
        database_pool_size=workers,
        login_max_failures_per_address=10**9,
        jwt_issuer="http://127.0.0.1:8001",
    )
    components = build_components(settings)
    print(
        f"Argon2id m={settings.argon2_memory_kib} KiB t={settings.argon2_time_cost} "
        f"p={settings.argon2_parallelism}; {os.cpu_count()} CPUs; concurrency {workers}"
    )
    try:
        await upgrade(MIGRATIONS_DIR, url)
        load_seconds = await bulk_load(dsn, components, args.accounts)
        print(
            f"bulk load: {args.accounts:,} accounts in {load_seconds:.1f} s "
            f"({args.accounts / load_seconds:,.0f}/s, encryption + blind index + COPY)"
        )
        raw = argon2_rate(components, samples=args.logins, workers=workers)
        app = create_app(settings)
        async with (
            LifespanManager(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://identity") as client,
        ):
            rng = [(n * 7919) % args.accounts for n in range(args.logins)]

            def login(n: int) -> Callable[[], Awaitable[Any]]:
                async def call() -> str:
                    username = cccd(n) if n % 2 else phone(n)
                    data = {"grant_type": "password", "username": username, "password": PASSWORD}
                    response = await client.post("/v1/auth/token", data=data)
                    assert response.status_code == 200, response.text
                    return str(response.json()["access_token"])

                return call

            await login(rng[0])()  # warm-up: pools, key store
            wall, login_latencies = await timed([login(n) for n in rng], workers)
            logins_per_second = args.logins / wall
            _, single = await timed([login(n) for n in rng[: min(32, args.logins)]], 1)
            token = await login(rng[0])()
            jwks = (await client.get("/.well-known/jwks.json")).json()

            runtime = app.state.runtime
            lookup_latencies = []
            for n in rng:
                async with runtime.db.sessions() as session:
                    started = time.perf_counter()
                    found = await find_by_username(session, identity_components(runtime), username=cccd(n))
                    lookup_latencies.append(time.perf_counter() - started)
                    assert found is not None
        verifier = TokenVerifier(
            JwksCache("unused", static_keys=jwks), issuer=settings.jwt_issuer, audience="hue-s"
        )
        count, started = 0, time.perf_counter()
        while time.perf_counter() - started < 2.0:
            await verifier.verify(token)
            count += 1
        verifications = count / (time.perf_counter() - started)
        print()
        print(f"raw Argon2id verifications/s ({workers} threads): {raw:8.1f}")
        print(
            f"password logins/s (HTTP, {workers} concurrent):   {logins_per_second:8.1f}   "
            f"ratio login/raw = {logins_per_second / raw:.2f}"
        )
        print(
            f"login latency, {workers} concurrent: p50 {ms(statistics.median(login_latencies))}, "
            f"p95 {ms(percentile(login_latencies, 0.95))}"
        )
        print(
            f"login latency, one at a time:  p50 {ms(statistics.median(single))}, "
            f"p95 {ms(percentile(single, 0.95))}"
        )
        print(
            f"blind-index lookup among {args.accounts:,}: p50 {ms(statistics.median(lookup_latencies))}, "
            f"p95 {ms(percentile(lookup_latencies, 0.95))}"
        )
        print(f"access-token verifications/s (shared verifier, ES256, one core): {verifications:,.0f}")
    finally:
        if not args.keep:
            await server.drop_all()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--accounts", type=int, default=1_000_000, help="accounts to bulk-load (max 1,000,000)"
    )
    parser.add_argument("--logins", type=int, default=200, help="password logins to time")
    parser.add_argument(
        "--concurrency", type=int, default=os.cpu_count() or 4, help="concurrent logins/threads"
    )
    parser.add_argument(
        "--database-url", default=DEFAULT_ADMIN_URL, help="an admin URL of the PostgreSQL server"
    )
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()
    if not 1 <= args.accounts <= 1_000_000:
        parser.error("--accounts must be between 1 and 1,000,000")
    asyncio.run(run(args))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    main()
