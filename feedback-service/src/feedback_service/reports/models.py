"""Citizens' reports, their public timeline, followers (merged duplicates) and audited reporter look-ups."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from feedback_service.db import Base
from hues_shared.types import BigId, UtcDateTime


class Report(Base):
    """One report (phản ánh hiện trường). `version` is the ETag of officers' edits."""

    __tablename__ = "reports"
    __table_args__ = (
        sa.Index("ix_reports_feed", "is_public", "published_at"),
        sa.Index("ix_reports_unit_status", "unit_id", "status"),
        sa.Index("ix_reports_duplicates", "category_code", "submitted_at"),
        sa.Index("ix_reports_due", "due_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    category_code: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    description: Mapped[str] = mapped_column(sa.Text, nullable=False)
    latitude: Mapped[float] = mapped_column(sa.Float, nullable=False)
    longitude: Mapped[float] = mapped_column(sa.Float, nullable=False)
    address: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    ward_code: Mapped[str] = mapped_column(sa.String(5), nullable=False, index=True)
    is_public: Mapped[bool] = mapped_column(sa.Boolean, nullable=False)
    urgency_claimed: Mapped[bool] = mapped_column(sa.Boolean, nullable=False)
    urgent: Mapped[bool] = mapped_column(sa.Boolean, nullable=False)
    status: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    unit_id: Mapped[str | None] = mapped_column(sa.String(36))
    suggested_unit_id: Mapped[str | None] = mapped_column(sa.String(36))
    reporter_account_id: Mapped[str] = mapped_column(sa.String(36), nullable=False, index=True)
    reporter_pseudonym: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    assigned_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    rated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    deadline_stage: Mapped[str | None] = mapped_column(sa.String(20))  # triage | handling
    overdue: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    result: Mapped[str | None] = mapped_column(sa.Text)
    rejection_reason: Mapped[str | None] = mapped_column(sa.String(1000))
    rating_satisfied: Mapped[bool | None] = mapped_column(sa.Boolean)
    rating_score: Mapped[int | None] = mapped_column(sa.Integer)
    rating_comment: Mapped[str | None] = mapped_column(sa.String(2000))
    reopen_count: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    merged_into_id: Mapped[str | None] = mapped_column(sa.String(36))


class TimelineEntry(Base):
    """One public step of a report's history (no personal data: status, unit name, public note)."""

    __tablename__ = "report_timeline"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    report_id: Mapped[str] = mapped_column(sa.String(36), nullable=False, index=True)
    status: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    step: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    note: Mapped[str | None] = mapped_column(sa.Text)
    unit_name: Mapped[str | None] = mapped_column(sa.String(200))
    at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)


class ReportFollower(Base):
    """An account that gets a report's updates: reporters of duplicates merged into it."""

    __tablename__ = "report_followers"

    report_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    account_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)


class ReporterLookup(Base):
    """The audit of every IOC look at a reporter's identity (hidden from units)."""

    __tablename__ = "reporter_lookups"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    report_id: Mapped[str] = mapped_column(sa.String(36), nullable=False, index=True)
    actor_account_id: Mapped[str] = mapped_column(sa.String(36), nullable=False)
    reason: Mapped[str] = mapped_column(sa.String(500), nullable=False)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
