"""Login sessions and their refresh tokens (opaque, stored as SHA-256, rotated on every use)."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hues_shared.types import UtcDateTime, utcnow
from identity_service.db import Base


class LoginSession(Base):
    """One login: the family of every refresh token rotated from it; revoking it ends them all."""

    __tablename__ = "sessions"
    __table_args__ = (sa.Index("ix_sessions_account", "account_id"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    account_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    client_address: Mapped[str | None] = mapped_column(sa.String(64))
    user_agent: Mapped[str | None] = mapped_column(sa.String(300))
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    revoked_reason: Mapped[str | None] = mapped_column(sa.String(60))


class RefreshToken(Base):
    __tablename__ = "refresh_tokens"
    __table_args__ = (sa.Index("ix_refresh_tokens_session", "session_id"),)

    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False
    )
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
