"""Overrides of the working calendar, kept as data so the IOC can follow the government's decisions."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from feedback_service.db import Base


class CalendarOverride(Base):
    """A date declared a holiday or a working day beyond what the `holidays` package knows."""

    __tablename__ = "calendar_overrides"

    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20), nullable=False)  # holiday | working_day
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
