"""`Idempotency-Key` on creating POSTs: a retried request (mobile networks retry) gets the first answer.

Scope (issue 8, item 11): an authenticated key belongs to the account (`sub`), so a retry after a token
refresh is still the same request; an anonymous key is scoped by the key together with the request's
fingerprint (method, path, body), so two anonymous callers who pick the same key never see each other's
answers or block each other, and only an identical request is replayed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.auth.principal import optional_principal
from hues_shared.context import account_var
from hues_shared.events.tables import MessagingTables
from hues_shared.problems import BadRequest, UnprocessableContent
from hues_shared.types import utcnow

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200


@dataclass
class Idempotency:
    """Bound to one request; `replay()` before doing the work, `remember()` in the same unit of work."""

    session: AsyncSession
    tables: MessagingTables
    scope: str
    key: str | None
    request_hash: str

    async def replay(self) -> JSONResponse | None:
        if self.key is None:
            return None
        table = self.tables.idempotency_keys
        row = (
            await self.session.execute(
                sa.select(table).where(table.c.scope == self.scope, table.c.key == self.key)
            )
        ).one_or_none()
        if row is None:
            return None
        if row.request_hash != self.request_hash:
            raise UnprocessableContent(
                "This Idempotency-Key was already used with a different request body.",
                slug="idempotency-key-reused",
            )
        return JSONResponse(
            row.response_body, status_code=row.status_code, headers={"Idempotent-Replayed": "true"}
        )

    async def remember(self, status_code: int, body: Any) -> None:
        if self.key is None:
            return
        await self.session.execute(
            self.tables.idempotency_keys.insert().values(
                scope=self.scope,
                key=self.key,
                request_hash=self.request_hash,
                status_code=status_code,
                response_body=jsonable_encoder(body),
                created_at=utcnow(),
            )
        )


async def idempotency_for(request: Request, session: AsyncSession, tables: MessagingTables) -> Idempotency:
    key = request.headers.get(HEADER)
    if key is not None and (not key.strip() or len(key) > MAX_KEY_LENGTH):
        raise BadRequest(
            f"{HEADER} must be 1 to {MAX_KEY_LENGTH} characters.", slug="invalid-idempotency-key"
        )
    body = await request.body()
    request_hash = hashlib.sha256(body).hexdigest()
    account = account_var.get()
    if account is None and request.headers.get("authorization"):
        principal = await optional_principal(request)  # the route itself did not ask who is calling
        account = principal.account_id if principal is not None else None
    caller = f"account:{account}" if account is not None else f"anonymous:{request_hash}"
    return Idempotency(
        session=session,
        tables=tables,
        scope=f"{request.method}:{request.url.path}:{caller}",
        key=key.strip() if key else None,
        request_hash=request_hash,
    )
