"""Offerings: essential goods, services, online public services and mini-apps (Art. 6.4, 6.5)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from catalog_service.db import Base
from hues_shared.types import BigId, UtcDateTime, utcnow


class OfferingKind(StrEnum):
    GOODS = "goods"
    SERVICE = "service"
    PUBLIC_SERVICE = "public-service"  # a procedure on the national public-service portal
    MINI_APP = "mini-app"  # an approved integration's app


class OfferingStatus(StrEnum):
    PUBLISHED = "published"
    SUSPENDED = "suspended"  # by IOC moderation
    WITHDRAWN = "withdrawn"  # by the provider


class Offering(Base):
    __tablename__ = "offerings"
    __table_args__ = (sa.Index("ix_offerings_latitude_longitude", "latitude", "longitude"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    provider_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("providers.id"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    category_code: Mapped[str] = mapped_column(
        sa.String(40), sa.ForeignKey("offering_categories.code"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(20), nullable=False, default=OfferingStatus.PUBLISHED)
    suspension_reason: Mapped[str | None] = mapped_column(sa.String(500))
    procedure_code: Mapped[str | None] = mapped_column(sa.String(40))
    portal_url: Mapped[str | None] = mapped_column(sa.String(500))
    price_note: Mapped[str | None] = mapped_column(sa.String(500))
    address: Mapped[str | None] = mapped_column(sa.String(300))
    ward_code: Mapped[str | None] = mapped_column(sa.String(5), index=True)
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    phone: Mapped[str | None] = mapped_column(sa.String(30))
    email: Mapped[str | None] = mapped_column(sa.String(200))
    website: Mapped[str | None] = mapped_column(sa.String(500))
    links: Mapped[list[Any]] = mapped_column(sa.JSON, nullable=False, default=list)
    images: Mapped[list[Any]] = mapped_column(sa.JSON, nullable=False, default=list)
    opening_hours: Mapped[list[Any]] = mapped_column(sa.JSON, nullable=False, default=list)
    hour_exceptions: Mapped[list[Any]] = mapped_column(sa.JSON, nullable=False, default=list)
    rating_count: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    rating_sum: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    # Search: the folded title (ranking) and the raw text around it (provider, category, address,
    # description); PostgreSQL indexes both through catalog_fold(), SQLite through offering_search (FTS5).
    search_title: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    search_extra: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)


class OpeningSlot(Base):
    """A weekly opening piece within one local day (the open-now filter queries these)."""

    __tablename__ = "offering_opening_slots"
    __table_args__ = (sa.Index("ix_offering_opening_slots_lookup", "offering_id", "weekday"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    offering_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("offerings.id", ondelete="CASCADE"), nullable=False
    )
    weekday: Mapped[int] = mapped_column(sa.SmallInteger, nullable=False)  # Monday 0
    start_minute: Mapped[int] = mapped_column(sa.SmallInteger, nullable=False)
    end_minute: Mapped[int] = mapped_column(sa.SmallInteger, nullable=False)
    spill: Mapped[bool] = mapped_column(sa.Boolean, nullable=False)  # began the previous day


class ExceptionDay(Base):
    """A date whose own openings are replaced by an exception (holiday closing, special hours)."""

    __tablename__ = "offering_exception_days"

    offering_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("offerings.id", ondelete="CASCADE"), primary_key=True
    )
    on_date: Mapped[date] = mapped_column(sa.Date, primary_key=True)


class ExceptionSlot(Base):
    """A piece of an exception's opening on one calendar date."""

    __tablename__ = "offering_exception_slots"
    __table_args__ = (sa.Index("ix_offering_exception_slots_lookup", "offering_id", "on_date"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    offering_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("offerings.id", ondelete="CASCADE"), nullable=False
    )
    on_date: Mapped[date] = mapped_column(sa.Date, nullable=False)
    start_minute: Mapped[int] = mapped_column(sa.SmallInteger, nullable=False)
    end_minute: Mapped[int] = mapped_column(sa.SmallInteger, nullable=False)
