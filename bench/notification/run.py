"""notification-service benchmark, each figure beside a baseline measured in the same run:

- inbox query p95 through the API (fan-out on read over N accounts and M notices) beside the bare SQL
  of the same query on the same database (goal at full size: < 20 ms);
- a province-wide warning, publish -> the first inbox read that shows it (goal < 1 s), beside a bare
  INSERT of one notice and its audience row;
- pushes of one warning to D devices handed to the local sink process over HTTP (goal at full size:
  1M in < 60 s), beside the sink's own raw intake (the same number of messages:send fired directly).

    .venv/bin/python bench/notification/run.py              # small: 20k accounts, 1k notices, 1k devices
    .venv/bin/python bench/notification/run.py --size full  # the issue's: 1.3M / 10,000 / 1M (the integrator)

PostgreSQL from --database-url (default TEST_DATABASE_URL or postgres@127.0.0.1:5432); a database
hues_bench_notification_<random> is created and dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
from asgi_lifespan import LifespanManager
from sqlalchemy.engine import make_url

from hues_shared.migrations import upgrade
from hues_shared.testing.infrastructure import PostgresServer
from hues_shared.testing.tokens import SigningKeys, bearer, static_verifier
from notification_service.config import NotificationSettings
from notification_service.main import MIGRATIONS_DIR, create_app
from notification_service.push.provider import PushMessage, fcm_body

SIZES = {
    "small": {"accounts": 20_000, "notices": 1_000, "devices": 1_000},
    "full": {"accounts": 1_300_000, "notices": 10_000, "devices": 1_000_000},
}
WARDS = [str(19768 + 3 * i).zfill(5) for i in range(40)]  # 40 ward codes (synthetic, like Hue's 40)
DEFAULT_ADMIN_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
CHUNK = 50_000


def account_id(n: int) -> str:
    return str(uuid.UUID(int=n + 1))


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(int(len(ordered) * fraction), len(ordered) - 1)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


async def load(dsn: str, *, accounts: int, notices: int, devices: int) -> None:
    """Bulk-load accounts (projection), published notices (10 % province-wide, others one ward), devices."""
    connection = await asyncpg.connect(dsn)
    now = datetime.now(UTC)
    try:
        for start in range(0, accounts, CHUNK):
            rows = [
                (account_id(n), "citizen", WARDS[n % len(WARDS)], "vi", now)
                for n in range(start, min(start + CHUNK, accounts))
            ]
            await connection.copy_records_to_table(
                "recipients",
                records=rows,
                columns=["account_id", "kind", "home_ward_code", "language", "updated_at"],
            )
        notice_rows, audience_rows = [], []
        for n in range(notices):
            notice_id = str(uuid.UUID(int=(1 << 64) + n))
            published = now - timedelta(minutes=notices - n)
            everyone = n % 10 == 0
            audience = "all" if everyone else f"ward:{WARDS[n % len(WARDS)]}"
            target = {"everyone": True} if everyone else {"ward_codes": [audience.removeprefix("ward:")]}
            notice_rows.append(
                (
                    notice_id,
                    "notice",
                    str(uuid.uuid4()),
                    "city",
                    f"Thông báo {n}",
                    "Nội dung",
                    "[]",
                    "[]",
                    json.dumps(target),
                    "Alert",
                    "[]",
                    False,
                    published,
                    published,
                    0,
                )
            )
            audience_rows.append((notice_id, audience, published))
        await connection.copy_records_to_table(
            "notices",
            records=notice_rows,
            columns=[
                "id",
                "kind",
                "author_id",
                "topic",
                "title_vi",
                "body_vi",
                "links",
                "images",
                "target",
                "msg_type",
                "response_types",
                "critical",
                "created_at",
                "published_at",
                "targeted_count",
            ],
        )
        await connection.copy_records_to_table(
            "notice_audiences", records=audience_rows, columns=["notice_id", "audience", "published_at"]
        )
        for start in range(0, devices, CHUNK):
            rows = [
                (
                    str(uuid.UUID(int=(2 << 64) + n)),
                    account_id(n % accounts),
                    "android",
                    f"bench-token-{n:08d}",
                    "vi",
                    "1.0.0",
                    False,
                    now,
                    now,
                )
                for n in range(start, min(start + CHUNK, devices))
            ]
            await connection.copy_records_to_table(
                "devices",
                records=rows,
                columns=[
                    "id",
                    "account_id",
                    "platform",
                    "token",
                    "locale",
                    "app_version",
                    "share_location",
                    "created_at",
                    "updated_at",
                ],
            )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


_BRANCH = (
    "(SELECT notice_id FROM notice_audiences WHERE audience = ${n}"
    " ORDER BY published_at DESC, notice_id DESC LIMIT 21)"
)
BARE_INBOX = f"""
SELECT n.id, n.title_vi, n.published_at, s.read_at
FROM notices n LEFT JOIN notice_states s ON s.notice_id = n.id AND s.account_id = $1
WHERE n.id IN ({" UNION ALL ".join(_BRANCH.format(n=i) for i in range(2, 6))})
  AND s.archived_at IS NULL
ORDER BY n.published_at DESC, n.id DESC LIMIT 21
"""


async def bare_inbox(dsn: str, accounts: list[int], samples: int) -> list[float]:
    connection = await asyncpg.connect(dsn)
    timings = []
    try:
        for n in random.sample(accounts, samples):
            keys = ["all", f"account:{account_id(n)}", "role:citizen", f"ward:{WARDS[n % len(WARDS)]}"]
            started = time.perf_counter()
            await connection.fetch(BARE_INBOX, account_id(n), *keys)
            timings.append(time.perf_counter() - started)
    finally:
        await connection.close()
    return timings


async def bare_publish(dsn: str) -> float:
    connection = await asyncpg.connect(dsn)
    try:
        now, notice_id = datetime.now(UTC), str(uuid.uuid4())
        started = time.perf_counter()
        async with connection.transaction():
            await connection.execute(
                "INSERT INTO notices (id, kind, author_id, topic, title_vi, body_vi, links, images, target,"
                " msg_type, response_types, critical, created_at, published_at) VALUES ($1, 'alert', 'x',"
                " 'flood', 't', 'b', '[]', '[]', '{}', 'Alert', '[]', true, $2, $2)",
                notice_id,
                now,
            )
            await connection.execute(
                "INSERT INTO notice_audiences (notice_id, audience, published_at) VALUES ($1, 'all', $2)",
                notice_id,
                now,
            )
        return time.perf_counter() - started
    finally:
        await connection.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def wait_for_sink(url: str) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(100):
            try:
                if (await client.get(f"{url}/control/received")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("sink did not start")


async def sink_raw_intake(url: str, count: int, concurrency: int) -> float:
    """The sink's own intake: `count` messages:send fired straight at it with the dispatcher's concurrency."""
    slots = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits) as client:

        async def one(n: int) -> None:
            message = PushMessage(f"raw-{n}", f"raw-token-{n}", "t", "b", {}, True, 3600)
            async with slots:
                await client.post("/v1/projects/hue-s/messages:send", json=fcm_body(message))

        started = time.perf_counter()
        await asyncio.gather(*(one(n) for n in range(count)))
        elapsed = time.perf_counter() - started
        await client.delete("/control/received")
    return count / elapsed


async def run(args: argparse.Namespace) -> None:
    size = {
        **SIZES[args.size],
        **{k: v for k in ("accounts", "notices", "devices") if (v := getattr(args, k))},
    }
    server = PostgresServer(args.database_url)
    url = await server.create_database(prefix="hues_bench_notification")
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    sink_port = free_port()
    sink_url = f"http://127.0.0.1:{sink_port}"
    sink = subprocess.Popen(  # noqa: ASYNC220 (started once, before anything is measured)
        [sys.executable, "-m", "notification_service.push.sink", "--port", str(sink_port)],
        stdout=subprocess.DEVNULL,
    )
    try:
        await upgrade(MIGRATIONS_DIR, url)
        started = time.perf_counter()
        await load(dsn, **size)
        print(f"loaded {size} in {time.perf_counter() - started:.1f} s")
        await wait_for_sink(sink_url)
        keys = SigningKeys()
        settings = NotificationSettings(
            environment="test",
            database_url=url,
            log_json=False,
            push_endpoint=sink_url,
            push_concurrency=args.concurrency,
            push_batch_size=1000,
            push_poll_seconds=0.05,
        )
        app = create_app(settings, token_verifier=static_verifier(keys))
        async with (
            LifespanManager(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client,
        ):
            population = list(range(size["accounts"]))
            api: list[float] = []
            for n in random.sample(population, args.samples):
                token = keys.token(sub=account_id(n), roles=("citizen",))
                t0 = time.perf_counter()
                response = await client.get("/v1/inbox", headers=bearer(token))
                api.append(time.perf_counter() - t0)
                assert response.status_code == 200 and response.json()["items"], response.text
            bare = await bare_inbox(dsn, population, args.samples)
            print(
                f"inbox p95: API {ms(percentile(api, 0.95))} (median {ms(statistics.median(api))}) | "
                f"bare SQL {ms(percentile(bare, 0.95))} (median {ms(statistics.median(bare))})"
            )

            raw = await sink_raw_intake(sink_url, min(size["devices"], args.raw_messages), args.concurrency)
            operator = keys.token(
                roles=("ioc_operator",), permissions=["notification.alert.publish"], kind="staff"
            )
            reader = keys.token(sub=account_id(random.choice(population)), roles=("citizen",))
            body = {
                "topic": "storm",
                "category": "Met",
                "event": "Bão",
                "urgency": "Expected",
                "severity": "Severe",
                "certainty": "Likely",
                "expires_at": (datetime.now(UTC) + timedelta(hours=3)).isoformat(),
                "headline": {"vi": "Cảnh báo bão", "en": "Storm warning"},
                "description": {"vi": "Bão số 5"},
                "sender_name": "IOC Huế",
                "area_desc": "Thành phố Huế",
                "target": {"everyone": True},
            }
            draft = (await client.post("/v1/alerts", json=body, headers=bearer(operator))).json()
            t0 = time.perf_counter()
            published = await client.post(f"/v1/notices/{draft['id']}/publish", headers=bearer(operator))
            assert published.status_code == 200, published.text
            while True:
                items = (await client.get("/v1/inbox?kind=alert&limit=1", headers=bearer(reader))).json()[
                    "items"
                ]
                if items and items[0]["id"] == draft["id"]:
                    break
            visible = time.perf_counter() - t0
            print(
                f"province-wide warning publish -> visible: {ms(visible)}"
                f" | bare INSERT {ms(await bare_publish(dsn))}"
            )

            t0 = time.perf_counter()
            async with httpx.AsyncClient() as control:
                while True:
                    received = (await control.get(f"{sink_url}/control/received")).json()["count"]
                    if received >= size["devices"]:
                        break
                    await asyncio.sleep(0.2)
            # The pushes started at publish; count from there.
            pushed = time.perf_counter() - t0 + visible
            print(
                f"pushes: {size['devices']} devices in ~{pushed:.1f} s ({size['devices'] / pushed:,.0f}/s) | "
                f"sink raw intake {raw:,.0f}/s"
            )
    finally:
        sink.terminate()
        sink.wait(timeout=10)
        await server.drop_all()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--accounts", type=int)
    parser.add_argument("--notices", type=int)
    parser.add_argument("--devices", type=int)
    parser.add_argument("--samples", type=int, default=300, help="inbox reads measured")
    parser.add_argument("--concurrency", type=int, default=50, help="pushes in flight")
    parser.add_argument("--raw-messages", type=int, default=1_000, help="messages for the sink's raw intake")
    parser.add_argument("--database-url", default=DEFAULT_ADMIN_URL)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
