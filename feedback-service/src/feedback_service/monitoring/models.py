"""Per-unit statistics per day, maintained from the report events (never recomputed per request)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from feedback_service.db import Base


class UnitDailyStatistics(Base):
    """Counters of one unit on one local day; any period is a sum of days (Art. 6.3, 15.3)."""

    __tablename__ = "unit_daily_statistics"

    unit_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    received: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    accepted: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    handled: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    handled_on_time: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    handling_hours_total: Mapped[float] = mapped_column(sa.Float, nullable=False, default=0.0)
    rated: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    satisfied: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
