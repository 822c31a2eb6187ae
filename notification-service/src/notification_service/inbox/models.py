"""A citizen's in-app inbox: personal messages, and the per-account state of broadcast notices."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hues_shared.types import UtcDateTime, utcnow
from notification_service.db import Base


class InboxMessage(Base):
    __tablename__ = "inbox_messages"
    __table_args__ = (sa.Index("ix_inbox_messages_account_created", "account_id", "created_at"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    account_id: Mapped[str] = mapped_column(sa.String(36), nullable=False)
    kind: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    body: Mapped[str] = mapped_column(sa.Text, nullable=False)
    source_event_id: Mapped[str | None] = mapped_column(sa.String(36), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    archived_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class NoticeState(Base):
    """An account's read/archived state of one broadcast notice: a row only once the account acted on it."""

    __tablename__ = "notice_states"
    __table_args__ = (sa.Index("ix_notice_states_notice", "notice_id"),)

    account_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    notice_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    archived_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
