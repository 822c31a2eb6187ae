"""The security audit log: logins, lockouts, grants, locks, resets, closures and personal-data access."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hues_shared.types import BigId, JsonDocument, UtcDateTime, utcnow
from identity_service.db import Base


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        sa.Index("ix_audit_events_subject", "subject_account_id", "id"),
        sa.Index("ix_audit_events_action", "action", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    action: Mapped[str] = mapped_column(sa.String(60), nullable=False)
    outcome: Mapped[str] = mapped_column(sa.String(20), nullable=False, default="success")
    actor_account_id: Mapped[str | None] = mapped_column(sa.String(36))
    subject_account_id: Mapped[str | None] = mapped_column(sa.String(36))
    client_address: Mapped[str | None] = mapped_column(sa.String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JsonDocument, nullable=False, default=dict)
