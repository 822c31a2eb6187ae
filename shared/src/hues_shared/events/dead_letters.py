"""Operators' view of a service's dead letters: list them, replay one after fixing the cause."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from hues_shared.auth.principal import Principal, require_permission
from hues_shared.events.consumer import PermanentEventError
from hues_shared.events.set_aside import OUTBOX_SOURCE, retry_set_aside
from hues_shared.pagination import Page, PageParams, decode_cursor, encode_cursor, page_params
from hues_shared.permissions import DEAD_LETTERS_MANAGE
from hues_shared.problems import Conflict, NotFound
from hues_shared.types import utcnow

router = APIRouter(prefix="/v1/ops/dead-letters", tags=["operations"])
Operator = Annotated[Principal, require_permission(DEAD_LETTERS_MANAGE)]


class DeadLetterOut(BaseModel):
    id: int
    event_id: str
    event_type: str
    topic: str
    partition_key: str
    occurred_at: datetime
    failed_at: datetime
    attempts: int
    error: str
    payload: dict[str, Any]
    replayed_at: datetime | None


@router.get("", summary="List dead-lettered events of this service")
async def list_dead_letters(
    request: Request,
    _: Operator,
    page: Annotated[PageParams, Depends(page_params)],
    pending_only: bool = True,
    source: Literal["consumer", "outbox"] = "consumer",
) -> Page[DeadLetterOut]:
    """Events this service's consumer gave up on after its retries (`source=consumer`), or events its
    outbox could not publish and set aside (`source=outbox`: too large, topic refused), newest first."""
    runtime = request.app.state.runtime
    table = runtime.tables.dead_letters
    consumer = OUTBOX_SOURCE if source == "outbox" else runtime.definition.name
    query = sa.select(table).where(table.c.consumer == consumer)
    if pending_only:
        query = query.where(table.c.replayed_at.is_(None))
    cursor = decode_cursor(page.cursor)
    if cursor:
        query = query.where(table.c.id < int(cursor[0]))
    async with runtime.db.sessions() as session:
        rows = (await session.execute(query.order_by(table.c.id.desc()).limit(page.limit + 1))).all()
    items = [DeadLetterOut.model_validate(row._mapping) for row in rows[: page.limit]]
    next_cursor = encode_cursor([items[-1].id]) if len(rows) > page.limit else None
    return Page(items=items, next_cursor=next_cursor)


@router.post("/{dead_letter_id}/replay", summary="Replay one dead-lettered event")
async def replay_dead_letter(request: Request, dead_letter_id: int, _: Operator) -> dict[str, Any]:
    """Runs the handler again; idempotent through the inbox, so replaying twice does no harm. For an
    event the outbox set aside, queues it for publishing again (fix the cause first)."""
    runtime = request.app.state.runtime
    try:
        await retry_set_aside(runtime.db, runtime.tables, dead_letter_id)
        return {"id": dead_letter_id, "status": "queued"}
    except LookupError:
        pass  # not an outbox one: a consumer's dead letter
    if runtime.consumer is None:
        raise NotFound("This service consumes no events.")
    try:
        await runtime.consumer.replay(dead_letter_id)
    except LookupError as exc:
        raise NotFound(f"No dead letter {dead_letter_id}.") from exc
    except PermanentEventError as exc:
        raise Conflict(f"Replay cannot succeed: {exc}", slug="replay-failed") from exc
    except Exception as exc:
        raise Conflict(f"The handler failed again: {exc!r}", slug="replay-failed") from exc
    return {"id": dead_letter_id, "status": "replayed"}


@router.post(
    "/{dead_letter_id}/discard",
    summary="Discard one dead letter or set-aside outbox event",
    responses={404: {"description": "No such dead letter"}},
)
async def discard_dead_letter(request: Request, dead_letter_id: int, _: Operator) -> dict[str, Any]:
    """Mark it resolved without running it (the operator decided it must not happen); it is purged after
    the dead-letter retention like a replayed one."""
    runtime = request.app.state.runtime
    table = runtime.tables.dead_letters
    async with runtime.db.unit_of_work() as session:
        updated = await session.execute(
            table.update()
            .where(
                table.c.id == dead_letter_id,
                table.c.consumer.in_([runtime.definition.name, OUTBOX_SOURCE]),
                table.c.replayed_at.is_(None),
            )
            .values(replayed_at=utcnow(), error=table.c.error + " [discarded by an operator]")
        )
        if not getattr(updated, "rowcount", 0):
            exists = await session.scalar(sa.select(table.c.id).where(table.c.id == dead_letter_id))
            if exists is None:
                raise NotFound(f"No dead letter {dead_letter_id}.")
    return {"id": dead_letter_id, "status": "discarded"}
