"""Devices registered for push, and one delivery row per (notice, device): pushes are idempotent on it."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hues_shared.types import UtcDateTime, utcnow
from notification_service.db import Base


class Device(Base):
    __tablename__ = "devices"
    __table_args__ = (sa.Index("ix_devices_account", "account_id"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    account_id: Mapped[str] = mapped_column(sa.String(36), nullable=False)
    platform: Mapped[str] = mapped_column(sa.String(10), nullable=False)  # android | ios | web
    token: Mapped[str] = mapped_column(sa.String(512), nullable=False, unique=True)
    locale: Mapped[str] = mapped_column(sa.String(2), nullable=False, default="vi")
    app_version: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    share_location: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    located_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)


class PushDelivery(Base):
    __tablename__ = "push_deliveries"
    __table_args__ = (
        sa.Index("ix_push_deliveries_notice_status", "notice_id", "status"),
        sa.Index("ix_push_deliveries_due", "status", "not_before"),
    )

    notice_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    device_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    account_id: Mapped[str] = mapped_column(sa.String(36), nullable=False)
    # accepted | failed | invalid_token | skipped_muted | deferred_quiet | dropped (expired, device gone)
    status: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    not_before: Mapped[datetime | None] = mapped_column(UtcDateTime())  # deferred: when quiet hours end
    attempts: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    provider_message_id: Mapped[str | None] = mapped_column(sa.String(200))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)


class PushJob(Base):
    """One notice to push; the dispatcher works it page by page, `after_device_id` is its progress."""

    __tablename__ = "push_jobs"

    notice_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    after_device_id: Mapped[str] = mapped_column(sa.String(36), nullable=False, default="")
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
