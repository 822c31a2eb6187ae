"""catalog-service benchmark: search latency (p50/p95) and throughput through the real app, beside the
bare SQL query the repository sends, in the same run, on a fresh PostgreSQL database.

    .venv/bin/python bench/catalog/run.py                      # small (2,000 offerings), under a minute
    .venv/bin/python bench/catalog/run.py --offerings 100000   # the full-scale run (goal: p95 < 50 ms)

PostgreSQL comes from --database-url (default TEST_DATABASE_URL or postgres@127.0.0.1:5432); a database
named hues_bench_catalog_<random> is created and dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import sqlalchemy as sa
from asgi_lifespan import LifespanManager
from sqlalchemy.ext.asyncio import create_async_engine

from catalog_service.config import CatalogSettings
from catalog_service.main import MIGRATIONS_DIR, create_app
from catalog_service.offerings import opening
from catalog_service.offerings.models import Offering, OpeningSlot
from catalog_service.offerings.wards import hue_ward_names
from catalog_service.providers.models import Provider
from catalog_service.search.folding import fold
from catalog_service.search.models import SearchTerm
from catalog_service.testing import CORPUS, WARD
from hues_shared.migrations import upgrade
from hues_shared.testing.infrastructure import PostgresServer
from hues_shared.testing.tokens import SigningKeys, static_verifier

DEFAULT_ADMIN_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
SHOPS = ["Quán", "Nhà hàng", "Tiệm", "Cửa hàng", "Nhà thuốc", "Phòng khám", "Khách sạn", "Quầy", "Cơ sở"]
GOODS = [
    ("Phở bò", "dining"), ("Bún bò", "dining"), ("Cơm hến", "dining"), ("Bánh khoái", "dining"),
    ("Bánh bèo", "dining"), ("Nem lụi", "dining"), ("Chè", "dining"), ("Cà phê muối", "dining"),
    ("Bánh canh", "dining"), ("Thuốc tây", "pharmacy"), ("Nha khoa", "clinic"), ("Lưu trú", "lodging"),
    ("Gạo", "market"), ("Rau sạch", "market"), ("Hải sản", "market"), ("Mè xửng", "market"),
]  # fmt: skip
PLACES = [
    "Huế", "Mệ Kéo", "O Cương", "Đông Ba", "Vỹ Dạ", "Kim Long", "An Cựu", "Thuận Hóa", "Phú Xuân",
    "Bà Tuyết", "Hương Giang", "Trường Tiền", "Thiên Mụ", "Bến Ngự", "Nam Phổ", "Thủy Xuân",
]  # fmt: skip
OWNERS = ["Công ty TNHH", "Hộ kinh doanh", "Hợp tác xã", "Doanh nghiệp tư nhân", "Công ty cổ phần"]
WARD_NAMES = hue_ward_names()
KIND_OF = {
    "dining": "service",
    "clinic": "service",
    "lodging": "service",
    "pharmacy": "goods",
    "market": "goods",
}
NEAR_DAI_NOI = {"lat": 16.4698, "lng": 107.5786}
QUERIES: list[dict[str, Any]] = [
    {"q": "pho bo hue"},
    {"q": "bun bo"},
    {"q": "cho dong ba"},
    {"q": "nha thuoc"},
    {"q": "khach san huong giang"},
    {"q": "ca phe m"},
    {"q": "chua thein mu"},
    {"q": "com hen", "open_now": "true"},
    {"q": "banh", "category": "tourism"},
    {"q": "bun bo", **NEAR_DAI_NOI, "sort": "distance", "radius_m": 3000},
]


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(int(len(ordered) * fraction), len(ordered) - 1)]


def offering_rows(
    count: int, providers: list[dict[str, Any]], categories: dict[str, str], rng: random.Random
) -> list[dict[str, Any]]:
    """Offerings with the search text the service composes (provider, category, address, ward)."""
    now = datetime.now(UTC)
    rows = []
    for n in range(count):
        if n < len(CORPUS):
            _, title, kind, category, ward, lat, lng, address, hours, _ = CORPUS[n]
        else:
            good, category = rng.choice(GOODS)
            title = f"{rng.choice(SHOPS)} {good} {rng.choice(PLACES)} {n}"
            kind, ward, address = KIND_OF[category], rng.choice(list(WARD)), f"{rng.randint(1, 300)} Lê Lợi"
            lat, lng = 16.40 + rng.random() * 0.12, 107.53 + rng.random() * 0.10
            opens = rng.choice(["05:00", "06:00", "07:00", "18:00"])
            closes = "02:00" if opens == "18:00" else rng.choice(["11:00", "21:00", "22:00"])
            hours = opening_hours(opens, closes)
        rows.append(
            {
                "id": str(uuid.UUID(int=n + 1)),
                "provider_id": providers[n % len(providers)]["id"],
                "kind": kind,
                "category_code": category,
                "title": title,
                "status": "published",
                "address": address or None,
                "ward_code": WARD[ward],
                "latitude": lat,
                "longitude": lng,
                "links": [],
                "images": [],
                "opening_hours": hours,
                "hour_exceptions": [],
                "rating_count": 0,
                "rating_sum": 0,
                "search_title": fold(title),
                "search_extra": " ".join(
                    p
                    for p in (
                        providers[n % len(providers)]["name"],
                        categories[category],
                        address,
                        WARD_NAMES[WARD[ward]],
                    )
                    if p
                ),
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
    return rows


def opening_hours(opens: str, closes: str) -> list[dict[str, str]]:
    return [{"day": d, "opens": opens, "closes": closes} for d in opening.DAYS]


async def load(url: str, count: int) -> None:
    """Bulk-load `count` offerings with their vocabulary and open-now slots, as the service would."""
    engine = create_async_engine(url)
    rng = random.Random(46)
    now = datetime.now(UTC)
    providers: list[dict[str, Any]] = [
        {"id": str(uuid.uuid4()), "name": f"{rng.choice(OWNERS)} {rng.choice(PLACES)} {i}", "verified": True,
         "kind": "enterprise",
         "owner_account_id": str(uuid.uuid4()), "status": "active", "version": 1, "created_at": now,
         "updated_at": now}
        for i in range(max(count // 50, 10))
    ]  # fmt: skip
    async with engine.connect() as connection:
        result = await connection.execute(sa.text("SELECT code, name_vi, name_en FROM offering_categories"))
        categories = {code: f"{vi} {en}" for code, vi, en in result.all()}
    rows = offering_rows(count, providers, categories, rng)
    async with engine.begin() as connection:
        await connection.execute(sa.insert(Provider), providers)
        for start in range(0, len(rows), 5000):
            chunk = rows[start : start + 5000]
            await connection.execute(sa.insert(Offering), chunk)
            slots = [
                {"offering_id": row["id"], "weekday": s.weekday, "start_minute": s.start, "end_minute": s.end,
                 "spill": s.spill}
                for row in chunk
                for s in opening.weekly_slots(opening.schedule_of(row["opening_hours"], [])[0])
            ]  # fmt: skip
            await connection.execute(sa.insert(OpeningSlot), slots)
        words = {w for row in rows for w in (row["search_title"] + " " + fold(row["search_extra"])).split()}
        terms = [{"term": w, "length": len(w)} for w in sorted(words)]
        await connection.execute(sa.insert(SearchTerm), terms)
        await connection.execute(sa.text("ANALYZE"))
    await engine.dispose()


async def timed(call: Callable[[], Awaitable[Any]], repeats: int) -> list[float]:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - started)
    return samples


async def throughput(call: Callable[[], Awaitable[Any]], *, total: int, concurrency: int) -> float:
    remaining = iter(range(total))

    async def worker() -> None:
        for _ in remaining:
            await call()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return total / (time.perf_counter() - started)


async def run(args: argparse.Namespace) -> None:
    server = PostgresServer(args.database_url)
    url = await server.create_database(prefix="hues_bench_catalog")
    try:
        await upgrade(MIGRATIONS_DIR, url)
        started = time.perf_counter()
        await load(url, args.offerings)
        print(f"loaded {args.offerings:,} offerings in {time.perf_counter() - started:.1f} s")
        keys = SigningKeys()
        settings = CatalogSettings(environment="test", database_url=url, database_pool_size=args.concurrency)
        app = create_app(settings, token_verifier=static_verifier(keys))
        engine = app.state.runtime.db.engine
        captured: list[tuple[str, Any]] = []

        def capture(_c: Any, _cur: Any, statement: str, parameters: Any, _ctx: Any, _many: bool) -> None:
            if "FROM offerings JOIN providers" in statement:
                captured.append((statement, parameters))

        sa.event.listen(engine.sync_engine, "before_cursor_execute", capture)
        async with (
            LifespanManager(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client,
        ):
            api_all, sql_all, statements = [], [], []
            print(f"{'query':58} {'api p50':>8} {'api p95':>8} {'sql p50':>8} {'sql p95':>8} hits")
            for params in QUERIES:
                response = await client.get("/v1/search", params=params)
                assert response.status_code == 200, response.text
                statement, parameters = captured[-1]
                statements.append((statement, parameters))

                async def api(params: dict[str, Any] = params) -> None:
                    assert (await client.get("/v1/search", params=params)).status_code == 200

                async def bare(statement: str = statement, parameters: Any = parameters) -> None:
                    async with engine.connect() as connection:
                        (await connection.exec_driver_sql(statement, parameters)).all()

                api_s, sql_s = await timed(api, args.repeats), await timed(bare, args.repeats)
                api_all += api_s
                sql_all += sql_s
                label = " ".join(f"{k}={v}" for k, v in params.items())[:58]
                figures = [percentile(x, f) * 1000 for x in (api_s, sql_s) for f in (0.5, 0.95)]
                print(f"{label:58}" + "".join(f" {v:7.1f}ms" for v in figures), len(response.json()["items"]))
            sa.event.remove(engine.sync_engine, "before_cursor_execute", capture)
            api_p95, sql_p95 = percentile(api_all, 0.95) * 1000, percentile(sql_all, 0.95) * 1000
            print(f"all queries: api p95 {api_p95:.1f} ms, bare SQL p95 {sql_p95:.1f} ms")
            api_mix = [QUERIES[i % len(QUERIES)] for i in range(args.requests)]
            sql_mix = [statements[i % len(statements)] for i in range(args.requests)]

            async def api_call() -> None:
                await client.get("/v1/search", params=api_mix.pop())

            async def sql_call() -> None:
                statement, parameters = sql_mix.pop()
                async with engine.connect() as connection:
                    (await connection.exec_driver_sql(statement, parameters)).all()

            api_rate = await throughput(api_call, total=args.requests, concurrency=args.concurrency)
            sql_rate = await throughput(sql_call, total=args.requests, concurrency=args.concurrency)
            print(
                f"throughput, {args.concurrency} concurrent: api {api_rate:.0f}/s, bare SQL {sql_rate:.0f}/s"
            )
    finally:
        await server.drop_all()


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--offerings", type=int, default=2000, help="catalogue size (full scale: 100000)")
    parser.add_argument("--repeats", type=int, default=20, help="timed runs per query")
    parser.add_argument("--requests", type=int, default=200, help="searches in the throughput run")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--database-url", default=DEFAULT_ADMIN_URL)
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {args.offerings:,} offerings")
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
