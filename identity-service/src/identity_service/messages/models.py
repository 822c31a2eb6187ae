"""Texts waiting to be sent (codes, temporary passwords, notices): queued in the unit of work, sent after."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hues_shared.types import UtcDateTime, utcnow
from identity_service.db import Base


class OutboundMessage(Base):
    """Destination and text are AES-GCM ciphertexts, erased once the provider took the message."""

    __tablename__ = "outbound_messages"
    __table_args__ = (sa.Index("ix_outbound_messages_unsent", "sent_at", "created_at"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    account_id: Mapped[str | None] = mapped_column(sa.String(36))
    channel: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    purpose: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    destination_enc: Mapped[str | None] = mapped_column(sa.Text)
    text_enc: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
