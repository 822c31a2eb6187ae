"""Integration applications, their review history and conformance reports (Art. 10, 11, 15.2)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hues_shared.types import JsonDocument, UtcDateTime, utcnow
from integration_service.db import Base


def new_id() -> str:
    return str(uuid.uuid4())


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (sa.Index("ix_applications_owner", "owner_kind", "owner_id", "created_at"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=new_id)
    # Art. 13.1: an application belongs to one organization account or one agency unit.
    owner_kind: Mapped[str] = mapped_column(sa.String(20), nullable=False)  # organization | unit
    owner_id: Mapped[str] = mapped_column(sa.String(36), nullable=False)
    created_by: Mapped[str] = mapped_column(sa.String(36), nullable=False)
    status: Mapped[str] = mapped_column(sa.String(30), nullable=False, index=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    manifest: Mapped[dict[str, Any]] = mapped_column(JsonDocument, nullable=False)
    # Environments the DIC approved: sandbox first, production after a second approval.
    sandbox_approved: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    production_approved: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    # Standard Webhooks secret (whsec_...), sealed; signs the conformance challenge and every delivery.
    webhook_secret_sealed: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)  # the ETag
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ApplicationReview(Base):
    """One transition of an application with who made it and why; the applicant reads this history."""

    __tablename__ = "application_reviews"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=new_id)
    application_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("applications.id"), nullable=False, index=True
    )
    action: Mapped[str] = mapped_column(sa.String(30), nullable=False)
    from_status: Mapped[str | None] = mapped_column(sa.String(30))
    to_status: Mapped[str] = mapped_column(sa.String(30), nullable=False)
    actor_id: Mapped[str] = mapped_column(sa.String(36), nullable=False)
    comment: Mapped[str | None] = mapped_column(sa.Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)


class ConformanceReport(Base):
    """The automated check of a submitted manifest (connection standard v1.1, section 9)."""

    __tablename__ = "conformance_reports"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=new_id)
    application_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("applications.id"), nullable=False, index=True
    )
    application_version: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    passed: Mapped[bool] = mapped_column(sa.Boolean, nullable=False)
    results: Mapped[list[dict[str, Any]]] = mapped_column(JsonDocument, nullable=False)
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
