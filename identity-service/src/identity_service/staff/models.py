"""Staff roles, each scoped to the unit the staff account belongs to."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hues_shared.types import UtcDateTime, utcnow
from identity_service.db import Base


class RoleAssignment(Base):
    __tablename__ = "role_assignments"

    account_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(sa.String(30), primary_key=True)
    unit_id: Mapped[str] = mapped_column(sa.String(36), sa.ForeignKey("units.id"), nullable=False)
    granted_by: Mapped[str] = mapped_column(sa.String(36), nullable=False)
    granted_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
