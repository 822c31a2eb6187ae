"""Notices and CAP 1.2 warnings (Art. 6.2), and the audiences they were published to.

A published notice is ONE row plus a handful of audience rows ("all", "ward:46...", "role:...",
"topic:...", "account:..."): inboxes find it by their own audience keys when read (fan-out on read),
so a province-wide warning never becomes 1.3 million rows.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hues_shared.types import JsonDocument, UtcDateTime, utcnow
from notification_service.db import Base


class Notice(Base):
    __tablename__ = "notices"
    __table_args__ = (sa.Index("ix_notices_published", "published_at", "id"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    kind: Mapped[str] = mapped_column(sa.String(10), nullable=False)  # notice | alert
    unit_id: Mapped[str | None] = mapped_column(sa.String(36))
    author_id: Mapped[str] = mapped_column(sa.String(36), nullable=False)
    approved_by: Mapped[str | None] = mapped_column(sa.String(36))
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    topic: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    title_vi: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    title_en: Mapped[str | None] = mapped_column(sa.String(200))
    body_vi: Mapped[str] = mapped_column(sa.Text, nullable=False)
    body_en: Mapped[str | None] = mapped_column(sa.Text)
    links: Mapped[list[str]] = mapped_column(JsonDocument, nullable=False, default=list)
    images: Mapped[list[str]] = mapped_column(JsonDocument, nullable=False, default=list)
    target: Mapped[dict[str, Any]] = mapped_column(JsonDocument, nullable=False, default=dict)
    # CAP 1.2 fields (warnings only)
    msg_type: Mapped[str] = mapped_column(sa.String(10), nullable=False, default="Alert")
    references_notice_id: Mapped[str | None] = mapped_column(sa.String(36))
    category: Mapped[str | None] = mapped_column(sa.String(20))
    event: Mapped[str | None] = mapped_column(sa.String(100))
    urgency: Mapped[str | None] = mapped_column(sa.String(10))
    severity: Mapped[str | None] = mapped_column(sa.String(10))
    certainty: Mapped[str | None] = mapped_column(sa.String(10))
    response_types: Mapped[list[str]] = mapped_column(JsonDocument, nullable=False, default=list)
    instruction_vi: Mapped[str | None] = mapped_column(sa.Text)
    instruction_en: Mapped[str | None] = mapped_column(sa.Text)
    sender_name: Mapped[str | None] = mapped_column(sa.String(200))
    area_desc: Mapped[str | None] = mapped_column(sa.String(500))
    onset_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    critical: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    superseded_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    superseded_by_id: Mapped[str | None] = mapped_column(sa.String(36))
    targeted_count: Mapped[int | None] = mapped_column(sa.Integer)
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)  # the draft's ETag


class NoticeAudience(Base):
    """One audience key of a published notice; published_at is copied so the inbox reads one index."""

    __tablename__ = "notice_audiences"
    __table_args__ = (sa.Index("ix_notice_audiences_key", "audience", "published_at", "notice_id"),)

    notice_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    audience: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
