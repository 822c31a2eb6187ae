"""Daily partner usage per application and route (Art. 15.3), summed from the gateway's batches."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from integration_service.db import Base


class DailyUsage(Base):
    __tablename__ = "daily_usage"

    application_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    route: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    requests: Mapped[int] = mapped_column(sa.BigInteger, nullable=False, default=0)
