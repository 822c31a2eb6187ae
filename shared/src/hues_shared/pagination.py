"""Cursor pagination: opaque, URL-safe cursors over a stable sort key; bounded page sizes."""

from __future__ import annotations

import base64
import json
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

from hues_shared.problems import BadRequest

T = TypeVar("T")
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
