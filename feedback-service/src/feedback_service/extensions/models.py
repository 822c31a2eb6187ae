"""Extension requests: a unit asks the IOC for more working hours on a report."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from feedback_service.db import Base
from hues_shared.types import UtcDateTime


class ExtensionRequest(Base):
    __tablename__ = "extension_requests"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    report_id: Mapped[str] = mapped_column(sa.String(36), nullable=False, index=True)
    unit_id: Mapped[str] = mapped_column(sa.String(36), nullable=False)
    hours: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    reason: Mapped[str] = mapped_column(sa.String(1000), nullable=False)
    status: Mapped[str] = mapped_column(sa.String(20), nullable=False)  # pending | approved | refused
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
