"""Cursor pagination: opaque, URL-safe cursors over a stable sort key; bounded page sizes."""

from __future__ import annotations

import base64
import inspect
import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

from hues_shared.problems import BadRequest

T = TypeVar("T")
R = TypeVar("R")
MAX_PAGE_SIZE = 100


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> list[Any] | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest("The cursor is not valid; start again without one.", slug="invalid-cursor") from exc
    if not isinstance(values, list):
        raise BadRequest("The cursor is not valid; start again without one.", slug="invalid-cursor")
    return values


class PageParams(BaseModel):
    cursor: str | None = None
    limit: int = 20


def page_params(
    cursor: Annotated[
        str | None, Query(description="Opaque cursor from the previous page's next_cursor")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Page size")] = 20,
) -> PageParams:
    return PageParams(cursor=cursor, limit=limit)


async def keyset_page(
    fetch: Callable[[list[Any] | None, int], Awaitable[Sequence[R]]],
    *,
    cursor: str | None,
    limit: int,
    key: Callable[[R], list[Any]],
    item: Callable[[R], T | Awaitable[T]],
    width: int = 1,
) -> Page[T]:
    """The one keyset pagination of every list (conventions: `Page[T]`).

    `fetch(after, size)` runs the repository query: rows strictly after the key values `after` (None on
    the first page) in the list's stable order, at most `size` of them. `key(row)` gives the values of
    the sort key (`width` of them) that the next cursor carries; `item(row)` renders a row (sync or
    async). One row more than `limit` is read to know whether a next page exists.
    """
    after = decode_cursor(cursor)
    if after is not None and len(after) != width:
        raise BadRequest("The cursor is not valid; start again without one.", slug="invalid-cursor")
    rows = await fetch(after, limit + 1)
    items: list[T] = []
    for row in rows[:limit]:
        rendered = item(row)
        items.append(await rendered if inspect.isawaitable(rendered) else rendered)
    next_cursor = encode_cursor(key(rows[limit - 1])) if len(rows) > limit else None
    return Page(items=items, next_cursor=next_cursor)
