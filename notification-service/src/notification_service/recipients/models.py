"""Local projection of identity's accounts: what targeting and wording need (home ward, language, roles)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hues_shared.types import UtcDateTime, utcnow
from notification_service.db import Base


class Recipient(Base):
    __tablename__ = "recipients"
    __table_args__ = (sa.Index("ix_recipients_home_ward", "home_ward_code"),)

    account_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20), nullable=False, default="citizen")
    home_ward_code: Mapped[str | None] = mapped_column(sa.String(5))
    language: Mapped[str] = mapped_column(sa.String(2), nullable=False, default="vi")
    # Quiet hours in Hue local time, minutes after midnight (start > end wraps past midnight).
    quiet_start_minute: Mapped[int | None] = mapped_column(sa.Integer)
    quiet_end_minute: Mapped[int | None] = mapped_column(sa.Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)


class RecipientRole(Base):
    __tablename__ = "recipient_roles"
    __table_args__ = (sa.Index("ix_recipient_roles_role", "role"),)

    account_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
