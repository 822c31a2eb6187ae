"""Report categories: what citizens can report, and how long agencies have to handle it."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from feedback_service.db import Base


class ReportCategory(Base):
    __tablename__ = "report_categories"

    code: Mapped[str] = mapped_column(sa.String(40), primary_key=True)  # also the Open311 service_code
    name_vi: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    name_en: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    group: Mapped[str] = mapped_column(sa.String(60), nullable=False)
    handling_days: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    active: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
