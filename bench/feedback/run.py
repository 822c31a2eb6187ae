"""feedback-service benchmark, each figure beside a baseline measured in the same run (issue 11):

  1. text submissions/s through the gateway on PostgreSQL (goal >= 500/s) vs the same rows (report,
     timeline entry, outbox event) inserted directly with asyncpg at the same concurrency;
  2. photo submissions/s through the gateway (type sniffing, EXIF stripping, re-encoding, thumbnail,
     storage) vs raw Pillow doing the same stripping and thumbnailing in-process (goal ratio >= 0.7);
  3. public-feed query p50/p95 through the gateway with N published reports bulk-loaded (goal p95 < 50 ms
     at 200,000).

    .venv/bin/python bench/feedback/run.py                 # small (default): a quick run, well under a minute
    .venv/bin/python bench/feedback/run.py --size full     # the full run: 200,000 reports

Every server is its own process on loopback (`hues serve feedback|gateway`, a JWKS server); PostgreSQL from
--database-url (default TEST_DATABASE_URL or postgres@127.0.0.1:5432): a fresh database is created and
left for inspection (its name is printed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg

from feedback_service.media.processing import clean_photo
from feedback_service.testing import photo_with_gps, report_body
from hues_shared.geography import hue_wards
from hues_shared.testing.infrastructure import PostgresServer, free_port
from hues_shared.testing.tokens import SigningKeys

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from load import Connection, closed_loop, http, multipart, pct, process  # noqa: E402

ROOT = HERE.parents[1]
BIN = Path(sys.executable).parent
SIZES = {
    "small": {"reports": 3_000, "seconds": 3.0, "photos": 16, "queries": 150},
    "full": {"reports": 200_000, "seconds": 20.0, "photos": 300, "queries": 2_000},
}
DEFAULT_ADMIN_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
CATEGORIES = ["environment", "roads-traffic", "urban-order", "lighting", "trees", "water-supply"]


async def direct_inserts(pool: asyncpg.Pool, *, concurrency: int, seconds: float) -> float:
    """The baseline: the rows one submission writes (report, timeline, outbox event) in one transaction."""
    done = 0
    deadline = time.perf_counter() + seconds
    body = report_body()

    async def worker() -> None:
        nonlocal done
        async with pool.acquire() as connection:
            while time.perf_counter() < deadline:
                now, rid = datetime.now(UTC), str(uuid.uuid4())
                async with connection.transaction():
                    await connection.execute(REPORT_INSERT, *_report_row(rid, now, body, published=False))
                    await connection.execute(TIMELINE_INSERT, rid, "submitted", "submitted", now)
                    await connection.execute(
                        OUTBOX_INSERT,
                        str(uuid.uuid4()),
                        rid,
                        now,
                        json.dumps({"report_id": rid}),
                    )
                done += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return done / (time.perf_counter() - started)


TIMELINE_INSERT = "INSERT INTO report_timeline (report_id, status, step, at) VALUES ($1, $2, $3, $4)"
OUTBOX_INSERT = (
    "INSERT INTO outbox_events (event_id, topic, partition_key, event_type, source, occurred_at, payload)"
    " VALUES ($1, 'feedback.report', $2, 'hues.feedback.report.submitted', '/bench', $3, $4)"
)
REPORT_INSERT = (
    "INSERT INTO reports (id, category_code, title, description, latitude, longitude, address, ward_code,"
    " is_public, urgency_claimed, urgent, status, reporter_account_id, reporter_pseudonym, version,"
    " submitted_at, updated_at, published_at, overdue, reopen_count, result)"
    " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,false,false,$10,$11,'R-BENCH',1,$12,$12,$13,false,0,$14)"
)


def _report_row(rid: str, at: datetime, body: dict, *, published: bool) -> tuple:
    return (
        rid,
        body["category_code"],
        body["title"],
        body["description"],
        body["latitude"],
        body["longitude"],
        body["address"],
        body["ward_code"],
        True,
        "published" if published else "submitted",
        str(uuid.uuid4()),
        at,
        at if published else None,
        "Đã xử lý" if published else None,
    )


async def load_feed(pool: asyncpg.Pool, count: int) -> None:
    """N published public reports over a year, spread over Hue's wards and a box around the city."""
    wards = [w.code for w in hue_wards()]
    start = datetime.now(UTC) - timedelta(days=365)
    rng = random.Random(11)
    batch: list[tuple] = []
    timeline: list[tuple] = []
    for n in range(count):
        at = start + timedelta(seconds=rng.randrange(365 * 86400))
        body = report_body(
            category_code=rng.choice(CATEGORIES),
            ward_code=rng.choice(wards),
            latitude=16.35 + rng.random() * 0.2,
            longitude=107.50 + rng.random() * 0.2,
        )
        rid = str(uuid.UUID(int=n + 1))
        batch.append(_report_row(rid, at, body, published=True))
        timeline += [(rid, "submitted", "submitted", at), (rid, "published", "published", at)]
        if len(batch) == 5_000 or n == count - 1:
            async with pool.acquire() as connection:
                await connection.executemany(REPORT_INSERT, batch)
                await connection.executemany(TIMELINE_INSERT, timeline)
            batch, timeline = [], []
    async with pool.acquire() as connection:
        await connection.execute("ANALYZE reports; ANALYZE report_timeline")


async def feed_latency(port: int, queries: int) -> dict[str, float]:
    wards = [w.code for w in hue_wards()]
    rng = random.Random(7)
    paths = []
    for i in range(queries):
        kind = i % 4
        if kind == 0:
            paths.append("/v1/feedback/public/reports?limit=20")
        elif kind == 1:
            paths.append(f"/v1/feedback/public/reports?ward_code={rng.choice(wards)}")
        elif kind == 2:
            paths.append(
                f"/v1/feedback/public/reports?category_code={rng.choice(CATEGORIES)}&status=published"
            )
        else:
            lat, lon = 16.35 + rng.random() * 0.18, 107.50 + rng.random() * 0.18
            paths.append(f"/v1/feedback/public/reports?bbox={lat},{lon},{lat + 0.02},{lon + 0.02}")
    connection = await Connection.open(port)
    latencies = []
    try:
        for path in paths:
            began = time.perf_counter()
            status, _ = await connection.send(http("GET", path))
            latencies.append(time.perf_counter() - began)
            assert status == 200, (status, path)
    finally:
        connection.close()
    return {"p50_ms": round(pct(latencies, 0.5), 2), "p95_ms": round(pct(latencies, 0.95), 2)}


def pillow_rate(photo: bytes, count: int, workers: int) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda _: clean_photo(photo), range(count)))
    return count / (time.perf_counter() - started)


async def bench(args: argparse.Namespace) -> None:
    size = SIZES[args.size]
    keys = SigningKeys()
    workdir = Path(tempfile.mkdtemp(prefix="feedback-bench-"))
    (workdir / "jwks.json").write_text(json.dumps(keys.jwks()))
    database_url = await PostgresServer(args.database_url).create_database(prefix="hues_bench_feedback")
    print(f"database: {database_url.rsplit('/', 1)[-1]}", file=sys.stderr)
    jwks_port, service_port, gateway_port = free_port(), free_port(), free_port()
    jwks_url = f"http://127.0.0.1:{jwks_port}/jwks.json"
    env = os.environ | {
        "FEEDBACK_PORT": str(service_port),
        "FEEDBACK_DATABASE_URL": database_url,
        "FEEDBACK_JWKS_URL": jwks_url,
        "FEEDBACK_ENVIRONMENT": "test",
        "FEEDBACK_MEDIA_LOCAL_ROOT": str(workdir / "media"),
        "HUES_LOG_LEVEL": "WARNING",
    }
    gateway_env = os.environ | {
        "GATEWAY_PORT": str(gateway_port),
        "GATEWAY_UPSTREAM_FEEDBACK_URL": f"http://127.0.0.1:{service_port}",
        "GATEWAY_ROUTES_FILE": str(HERE / "routes.toml"),
        "GATEWAY_JWKS_URL": jwks_url,
        "GATEWAY_ENVIRONMENT": "test",
        "HUES_LOG_LEVEL": "WARNING",
    }
    subprocess.run([str(BIN / "hues"), "migrate", "feedback"], env=env, check=True, capture_output=True)  # noqa: ASYNC221
    pool = await asyncpg.create_pool(
        database_url.replace("+asyncpg", ""), min_size=2, max_size=args.concurrency
    )
    tokens = [keys.token(roles=["citizen"], expires_in=7200) for _ in range(64)]
    text = [
        http(
            "POST",
            "/v1/feedback/reports",
            token=t,
            body=json.dumps(report_body()).encode(),
            content_type="application/json",
        )
        for t in tokens
    ]
    jwks_cmd = [
        sys.executable,
        str(ROOT / "bench/gateway/upstream.py"),
        "--port",
        str(jwks_port),
        "--jwks",
        str(workdir / "jwks.json"),
    ]
    summary: dict[str, object] = {"size": args.size, "cpus": os.cpu_count(), "concurrency": args.concurrency}
    with (
        process(jwks_cmd, port=jwks_port, env=os.environ.copy()),
        process([str(BIN / "hues"), "serve", "feedback"], port=service_port, env=env),
        process([str(BIN / "hues"), "serve", "gateway"], port=gateway_port, env=gateway_env),
    ):
        await closed_loop(gateway_port, text, concurrency=args.concurrency, seconds=1.0)  # warm-up
        via, errors = await closed_loop(
            gateway_port, text, concurrency=args.concurrency, seconds=size["seconds"]
        )
        direct_text = [t.replace(b"/v1/feedback/reports", b"/v1/reports", 1) for t in text]
        service_only, _ = await closed_loop(
            service_port, direct_text, concurrency=args.concurrency, seconds=size["seconds"]
        )
        direct = await direct_inserts(pool, concurrency=args.concurrency, seconds=size["seconds"])
        summary["text_submissions"] = {
            "through_gateway_per_s": round(via),
            "errors": errors,
            "service_without_gateway_per_s": round(service_only),
            "direct_inserts_per_s": round(direct),
            "ratio": round(via / direct, 3),
            "goal_per_s": 500,
        }

        photo = photo_with_gps(size=(1600, 1200))
        uploads = []
        for i in range(int(size["photos"])):
            connection = await Connection.open(gateway_port)
            _, body = await connection.send(text[i % len(text)])
            connection.close()
            report_id = json.loads(body)["id"]
            form, content_type = multipart(photo)
            uploads.append(
                http(
                    "POST",
                    f"/v1/feedback/reports/{report_id}/media",
                    token=tokens[i % len(tokens)],
                    body=form,
                    content_type=content_type,
                )
            )
        started = time.perf_counter()
        photo_concurrency = min(args.concurrency, os.cpu_count() or 2)
        queue = list(uploads)

        async def uploader() -> None:
            connection = await Connection.open(gateway_port)
            try:
                while queue:
                    status, body = await connection.send(queue.pop())
                    assert status == 201, (status, body[:200])
            finally:
                connection.close()

        await asyncio.gather(*(uploader() for _ in range(photo_concurrency)))
        via_photos = len(uploads) / (time.perf_counter() - started)
        raw = await asyncio.to_thread(pillow_rate, photo, len(uploads), photo_concurrency)
        summary["photo_submissions"] = {
            "through_gateway_per_s": round(via_photos, 1),
            "raw_pillow_per_s": round(raw, 1),
            "ratio": round(via_photos / raw, 3),
            "goal_ratio": 0.7,
        }

        await load_feed(pool, int(size["reports"]))
        summary["public_feed"] = {
            "reports": size["reports"],
            **await feed_latency(gateway_port, int(size["queries"])),
            "goal_p95_ms": 50,
        }
    await pool.close()
    print(json.dumps(summary, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--database-url", default=DEFAULT_ADMIN_URL)
    asyncio.run(bench(parser.parse_args()))


if __name__ == "__main__":
    main()
