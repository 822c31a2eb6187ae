"""The lab service: one table its endpoints write, one its handler writes, one contract, fault injection."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, FastAPI, Request
from pydantic import BaseModel, Field

from hues_shared.app import DbSession, Runtime, ServiceDefinition, create_service_app
from hues_shared.auth.jwks import TokenVerifier
from hues_shared.auth.principal import CurrentPrincipal
from hues_shared.db import Database
from hues_shared.events import contracts as contract_registry
from hues_shared.events.bus import EventBus
from hues_shared.events.consumer import EventContext, EventHandlers, PermanentEventError
from hues_shared.events.contracts import EventContract, contract
from hues_shared.events.outbox import record_event
from hues_shared.events.tables import messaging_tables
from hues_shared.idempotency import idempotency_for
from hues_shared.pagination import Page, PageParams, decode_cursor, encode_cursor, page_params
from hues_shared.problems import Conflict, NotFound
from hues_shared.settings import ServiceSettings
from hues_shared.types import UtcDateTime, utcnow

SERVICE = "lab-service"
metadata = sa.MetaData()
tables = messaging_tables(metadata)
items = sa.Table(
    "lab_items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("created_at", UtcDateTime(), nullable=False),
)
# What the handler did: one row per event (unique, so a double handling fails loudly) ...
handled = sa.Table(
    "lab_handled",
    metadata,
    sa.Column("event_id", sa.String(36), primary_key=True),
    sa.Column("item_key", sa.String(100), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("handled_at", UtcDateTime(), nullable=False),
)
# ... and a non-idempotent effect (a counter per key) that the inbox alone must protect.
tallies = sa.Table(
    "lab_tallies",
    metadata,
    sa.Column("item_key", sa.String(100), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
)


def _unregistered(cls: type[EventContract]) -> type[EventContract]:
    """Keep test contracts out of the platform's event catalogue (checked against docs elsewhere)."""
    contract_registry._REGISTRY.pop(cls.event_type, None)
    return cls


@_unregistered
@contract(type="hues.lab.item.recorded", topic="lab.item", key="item_key", producer=SERVICE)
class ItemRecorded(EventContract):
    """A lab item was recorded (test-only contract)."""

    item_key: str
    seq: int
    note: str = ""


class Faults:
    """Which events the handler breaks on, and how often it was called for each, to test retries."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.failures_left: dict[str, int] = {}
        self.permanent: set[str] = set()
        self.attempts: Counter[str] = Counter()
        self.attempt_times: dict[str, list[float]] = {}
        self.gates: dict[str, asyncio.Event] = {}
        self.entered: dict[str, asyncio.Event] = {}

    def gate(self, note: str) -> tuple[asyncio.Event, asyncio.Event]:
        """Hold the handler of `note` inside its transaction until the test opens the gate."""
        self.gates[note], self.entered[note] = asyncio.Event(), asyncio.Event()
        return self.entered[note], self.gates[note]

    def fail(self, note: str, *, times: int) -> None:
        self.failures_left[note] = times

    def heal(self) -> None:
        """The operator fixed the cause: stop injecting failures."""
        self.failures_left.clear()
        self.permanent.clear()


faults = Faults()
handlers = EventHandlers()


@handlers.on(ItemRecorded)
async def count_item(event: ItemRecorded, ctx: EventContext) -> None:
    """Write the handled row and bump the key's tally, failing on demand."""
    import time

    faults.attempts[event.note] += 1
    faults.attempt_times.setdefault(event.note, []).append(time.monotonic())
    if event.note in faults.gates:
        faults.entered[event.note].set()
        await faults.gates[event.note].wait()
    if event.note in faults.permanent:
        raise PermanentEventError("this event can never be handled")
    if faults.failures_left.get(event.note, 0) > 0:
        faults.failures_left[event.note] -= 1
        raise RuntimeError(f"injected failure for {event.note}")
    await ctx.session.execute(
        handled.insert().values(
            event_id=ctx.envelope.id, item_key=event.item_key, seq=event.seq, handled_at=utcnow()
        )
    )
    updated = await ctx.session.execute(
        tallies.update().where(tallies.c.item_key == event.item_key).values(count=tallies.c.count + 1)
    )
    if getattr(updated, "rowcount", 0) == 0:
        await ctx.session.execute(tallies.insert().values(item_key=event.item_key, count=1))


router = APIRouter(prefix="/v1/lab", tags=["lab"])


class ItemIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    note: str = ""


class ItemOut(BaseModel):
    id: int
    name: str


@router.post("/items", status_code=201)
async def create_item(request: Request, body: ItemIn, session: DbSession, runtime: Runtime) -> Any:
    """Create an item and record its event in the same unit of work; honours Idempotency-Key."""
    idempotency = await idempotency_for(request, session, runtime.tables)
    replay = await idempotency.replay()
    if replay is not None:
        return replay
    exists = await session.scalar(sa.select(items.c.id).where(items.c.name == body.name))
    if exists is not None:
        raise Conflict(f"An item named {body.name!r} exists.", slug="item-exists")
    new_id = (
        await session.execute(
            items.insert().values(name=body.name, created_at=utcnow()).returning(items.c.id)
        )
    ).scalar_one()
    await record_event(session, runtime.tables, ItemRecorded(item_key=body.name, seq=new_id, note=body.note))
    out = ItemOut(id=new_id, name=body.name)
    await idempotency.remember(201, out.model_dump())
    return out


@router.get("/items")
async def list_items(session: DbSession, page: Annotated[PageParams, Depends(page_params)]) -> Page[ItemOut]:
    """Items in creation order, by cursor."""
    query = sa.select(items.c.id, items.c.name).order_by(items.c.id)
    cursor = decode_cursor(page.cursor)
    if cursor:
        query = query.where(items.c.id > int(cursor[0]))
    rows = (await session.execute(query.limit(page.limit + 1))).all()
    out = [ItemOut(id=row.id, name=row.name) for row in rows[: page.limit]]
    return Page(items=out, next_cursor=encode_cursor([out[-1].id]) if len(rows) > page.limit else None)


@router.get("/items/{item_id}")
async def get_item(item_id: int, session: DbSession) -> ItemOut:
    """One item, or a 404 problem."""
    row = (await session.execute(sa.select(items).where(items.c.id == item_id))).one_or_none()
    if row is None:
        raise NotFound(f"No item {item_id}.")
    return ItemOut(id=row.id, name=row.name)


@router.get("/me")
async def whoami(principal: CurrentPrincipal) -> dict[str, Any]:
    """Echo the verified principal."""
    return {"account_id": principal.account_id, "permissions": sorted(principal.permissions)}


@router.get("/crash")
async def crash() -> None:
    """An unexpected error, to prove no stack trace leaves the service."""
    raise RuntimeError("secret internal detail")


def lab_settings(database_url: str, **overrides: Any) -> ServiceSettings:
    values: dict[str, Any] = {
        "service_name": SERVICE,
        "environment": "test",
        "database_url": database_url,
        "log_json": False,
        "event_retry_base_seconds": 0.01,
        "event_max_attempts": 3,
        "outbox_poll_interval_seconds": 0.1,
    }
    values.update(overrides)
    return ServiceSettings(**values)


def definition(settings: ServiceSettings) -> ServiceDefinition:
    return ServiceDefinition(
        name=SERVICE,
        title="lab",
        description="Test-only service for the shared library.",
        settings=settings,
        routers=[router],
        tables=tables,
        migrations_dir=Path(__file__).parent,  # unused: the lab is migrated by metadata.create_all
        handlers=handlers,
    )


def create_app(
    settings: ServiceSettings, *, bus: EventBus | None = None, token_verifier: TokenVerifier | None = None
) -> FastAPI:
    return create_service_app(definition(settings), bus=bus, token_verifier=token_verifier)


async def effects(db: Database) -> tuple[int, int, int]:
    """(handled rows, sum of tallies, pending dead letters): equal counts mean exactly once in effect."""
    async with db.sessions() as session:
        rows = await session.scalar(sa.select(sa.func.count()).select_from(handled))
        total = await session.scalar(sa.select(sa.func.coalesce(sa.func.sum(tallies.c.count), 0)))
        dead = await session.scalar(
            sa.select(sa.func.count())
            .select_from(tables.dead_letters)
            .where(tables.dead_letters.c.replayed_at.is_(None))
        )
    return int(rows or 0), int(total or 0), int(dead or 0)


async def create_schema(database_url: str) -> None:
    """The lab's migration: create_all is enough for a test-only service."""
    from hues_shared.db import create_engine

    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
    finally:
        await engine.dispose()
