"""Sessions: start one at login, rotate its refresh token on every use, end one or all of them."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.contracts.identity import SessionRevoked
from hues_shared.events.outbox import record_event
from hues_shared.types import utcnow
from identity_service.db import tables
from identity_service.sessions import repository
from identity_service.sessions.models import LoginSession, RefreshToken


def hash_refresh_token(token: str) -> str:
    """Refresh tokens carry 256 random bits, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode()).hexdigest()


async def _new_refresh_token(session: AsyncSession, *, session_id: str) -> str:
    token = secrets.token_urlsafe(32)
    await repository.create_refresh_token(
        session,
        token=RefreshToken(token_hash=hash_refresh_token(token), session_id=session_id, issued_at=utcnow()),
    )
    return token


async def start_session(
    session: AsyncSession,
    *,
    account_id: str,
    lifetime: timedelta,
    client_address: str | None,
    user_agent: str | None,
) -> tuple[LoginSession, str]:
    now = utcnow()
    login_session = await repository.create(
        session,
        login_session=LoginSession(
            account_id=account_id,
            created_at=now,
            last_used_at=now,
            expires_at=now + lifetime,
            client_address=client_address,
            user_agent=(user_agent or "")[:300] or None,
        ),
    )
    return login_session, await _new_refresh_token(session, session_id=login_session.id)


@dataclass(frozen=True)
class RefreshOutcome:
    """Either a rotated token for a live session, or why not (`reused` means the family was revoked)."""

    login_session: LoginSession | None
    new_refresh_token: str | None
    refused_because: str | None = None


async def rotate_refresh_token(session: AsyncSession, *, refresh_token: str) -> RefreshOutcome:
    """Spend the token and hand out its successor; a spent token coming back revokes the whole family."""
    now = utcnow()
    stored = await repository.get_refresh_token(session, token_hash=hash_refresh_token(refresh_token))
    if stored is None:
        return RefreshOutcome(None, None, "unknown")
    login_session = await repository.get(session, session_id=stored.session_id)
    if login_session is None or login_session.revoked_at is not None or login_session.expires_at <= now:
        return RefreshOutcome(None, None, "session_ended")
    if not await repository.spend_refresh_token(session, token_hash=stored.token_hash, now=now):
        # Someone replayed a spent token (maybe in parallel with its first use): the legitimate client
        # or a thief, we cannot tell — end it all.
        await revoke_session(session, login_session=login_session, reason="refresh_token_reuse")
        return RefreshOutcome(login_session, None, "reused")
    login_session.last_used_at = now
    return RefreshOutcome(login_session, await _new_refresh_token(session, session_id=login_session.id))


async def revoke_session(session: AsyncSession, *, login_session: LoginSession, reason: str) -> None:
    """End one session; the gateway drops its access tokens on the SessionRevoked event."""
    now = utcnow()
    if not await repository.revoke(session, session_id=login_session.id, reason=reason, now=now):
        return  # already ended, maybe by a parallel request: published once
    await record_event(
        session,
        tables,
        SessionRevoked(
            account_id=login_session.account_id, session_id=login_session.id, reason=reason, revoked_at=now
        ),
    )


async def revoke_all_sessions(session: AsyncSession, *, account_id: str, reason: str) -> None:
    """End every session of an account (logout everywhere, lock, password change, closure)."""
    now = utcnow()
    await repository.revoke_all(session, account_id=account_id, reason=reason, now=now)
    await record_event(
        session, tables, SessionRevoked(account_id=account_id, session_id=None, reason=reason, revoked_at=now)
    )


async def get_session(session: AsyncSession, *, session_id: str) -> LoginSession | None:
    return await repository.get(session, session_id=session_id)
