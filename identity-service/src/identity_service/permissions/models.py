"""Function permissions granted by the DIC to one account, optionally within one unit (Art. 15.1)."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hues_shared.types import UtcDateTime, utcnow
from identity_service.db import Base


class PermissionGrant(Base):
    __tablename__ = "permission_grants"
    __table_args__ = (
        sa.UniqueConstraint("account_id", "permission", "unit_key", name="uq_permission_grants_scope"),
        sa.Index("ix_permission_grants_account", "account_id"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    account_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False
    )
    permission: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    unit_id: Mapped[str | None] = mapped_column(sa.String(36), sa.ForeignKey("units.id"))
    # unit_id or "*" (NULLs never collide in a unique constraint, so the scope key is spelled out).
    unit_key: Mapped[str] = mapped_column(sa.String(36), nullable=False)
    granted_by: Mapped[str] = mapped_column(sa.String(36), nullable=False)
    granted_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
