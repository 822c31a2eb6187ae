"""Ratings and reviews of offerings by verified citizens, provider replies, abuse reports (Art. 12.2)."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from catalog_service.db import Base
from hues_shared.types import UtcDateTime, utcnow


class Review(Base):
    __tablename__ = "reviews"
    __table_args__ = (
        sa.UniqueConstraint("offering_id", "author_account_id", name="uq_reviews_offering_author"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    offering_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("offerings.id"), nullable=False, index=True
    )
    author_account_id: Mapped[str] = mapped_column(sa.String(36), nullable=False, index=True)
    rating: Mapped[int] = mapped_column(sa.SmallInteger, nullable=False)
    text: Mapped[str | None] = mapped_column(sa.Text)
    visible: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    moderation_reason: Mapped[str | None] = mapped_column(sa.String(500))
    reply_text: Mapped[str | None] = mapped_column(sa.Text)
    replied_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)


class ReviewReport(Base):
    """A report that a review is abusive; open until the IOC moderates the review."""

    __tablename__ = "review_reports"
    __table_args__ = (
        sa.UniqueConstraint("review_id", "reporter_account_id", name="uq_review_reports_reporter"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    review_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("reviews.id"), nullable=False, index=True
    )
    reporter_account_id: Mapped[str] = mapped_column(sa.String(36), nullable=False)
    reason: Mapped[str] = mapped_column(sa.String(500), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
