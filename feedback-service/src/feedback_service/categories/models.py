"""Report categories (what citizens can report, with deadlines and urgency policy) and routing rules."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from feedback_service.db import Base


class ReportCategory(Base):
    """A category with its deadline policy in working hours (Art. 12.2), editable by the IOC."""

    __tablename__ = "report_categories"

    code: Mapped[str] = mapped_column(sa.String(40), primary_key=True)  # also the Open311 service_code
    name_vi: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    name_en: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    group: Mapped[str] = mapped_column(sa.String(60), nullable=False)
    handling_days: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    acceptance_hours: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=8)
    handling_hours: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=24)
    urgent_handling_hours: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=4)
    urgency_allowed: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    active: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)


class RoutingRule(Base):
    """Category + ward -> responsible unit; `ward_code` None is the category's city-wide fallback.

    `target` "unit" names the unit; "ward_committee" means the People's Committee of the report's own
    ward (the seeded default for field problems, so routing works before any unit id is known).
    """

    __tablename__ = "routing_rules"
    __table_args__ = (
        sa.UniqueConstraint("category_code", "ward_code", name="uq_routing_rules_category_ward"),
    )

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    category_code: Mapped[str] = mapped_column(
        sa.String(40), sa.ForeignKey("report_categories.code"), nullable=False
    )
    ward_code: Mapped[str | None] = mapped_column(sa.String(5))
    unit_id: Mapped[str | None] = mapped_column(sa.String(36))
    target: Mapped[str] = mapped_column(sa.String(20), nullable=False, default="unit")
