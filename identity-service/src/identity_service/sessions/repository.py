"""Queries on sessions and refresh tokens."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from identity_service.sessions.models import LoginSession, RefreshToken


async def create(session: AsyncSession, *, login_session: LoginSession) -> LoginSession:
    session.add(login_session)
    await session.flush()
    return login_session


async def create_refresh_token(session: AsyncSession, *, token: RefreshToken) -> None:
    session.add(token)
    await session.flush()


async def get(session: AsyncSession, *, session_id: str) -> LoginSession | None:
    return await session.get(LoginSession, session_id)


async def get_refresh_token(session: AsyncSession, *, token_hash: str) -> RefreshToken | None:
    query = sa.select(RefreshToken).where(RefreshToken.token_hash == token_hash)
    return (await session.scalars(query)).first()


async def spend_refresh_token(session: AsyncSession, *, token_hash: str, now: datetime) -> bool:
    """Mark the token used if nobody did yet, in one conditional UPDATE: of parallel requests exactly
    one wins, on SQLite (no row locks) as on PostgreSQL."""
    result = await session.execute(
        sa.update(RefreshToken)
        .where(RefreshToken.token_hash == token_hash, RefreshToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session="fetch")
    )
    return bool(getattr(result, "rowcount", 0))


async def get_all_open(session: AsyncSession, *, account_id: str, now: datetime) -> Sequence[LoginSession]:
    query = sa.select(LoginSession).where(
        LoginSession.account_id == account_id,
        LoginSession.revoked_at.is_(None),
        LoginSession.expires_at > now,
    )
    return (await session.scalars(query.order_by(LoginSession.created_at))).all()


async def get_all(session: AsyncSession, *, account_id: str) -> Sequence[LoginSession]:
    query = sa.select(LoginSession).where(LoginSession.account_id == account_id)
    return (await session.scalars(query.order_by(LoginSession.created_at))).all()


async def revoke_all(session: AsyncSession, *, account_id: str, reason: str, now: datetime) -> int:
    result = await session.execute(
        sa.update(LoginSession)
        .where(LoginSession.account_id == account_id, LoginSession.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def revoke(session: AsyncSession, *, session_id: str, reason: str, now: datetime) -> bool:
    """End one session if still open, in one conditional UPDATE: True for the one request that did."""
    result = await session.execute(
        sa.update(LoginSession)
        .where(LoginSession.id == session_id, LoginSession.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason)
        .execution_options(synchronize_session="fetch")
    )
    return bool(getattr(result, "rowcount", 0))
