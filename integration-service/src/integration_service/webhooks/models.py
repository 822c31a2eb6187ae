"""Webhook subscriptions, deliveries (the delivery outbox with its retry schedule) and logged attempts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hues_shared.types import JsonDocument, UtcDateTime, utcnow
from integration_service.db import Base


class WebhookSubscription(Base):
    __tablename__ = "webhook_subscriptions"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    application_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("applications.id"), nullable=False, index=True
    )
    url: Mapped[str] = mapped_column(sa.String(2000), nullable=False)
    event_types: Mapped[list[str]] = mapped_column(JsonDocument, nullable=False)
    status: Mapped[str] = mapped_column(sa.String(20), nullable=False, default="active")  # active | disabled
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class WebhookDelivery(Base):
    """One event for one subscription; `next_attempt_at` is the retry schedule, kept in the database."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        sa.UniqueConstraint("subscription_id", "event_id"),
        sa.Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(40), primary_key=True)  # msg_...: the webhook-id header
    subscription_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("webhook_subscriptions.id"), nullable=False, index=True
    )
    event_id: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    event_type: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    payload: Mapped[dict[str, Any]] = mapped_column(JsonDocument, nullable=False)
    status: Mapped[str] = mapped_column(sa.String(20), nullable=False)  # pending | delivered | failed
    attempts: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class WebhookAttempt(Base):
    """One try: response code and timing, or the network error (the log partners and the DIC read)."""

    __tablename__ = "webhook_attempts"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    delivery_id: Mapped[str] = mapped_column(
        sa.String(40), sa.ForeignKey("webhook_deliveries.id"), nullable=False, index=True
    )
    attempted_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    status_code: Mapped[int | None] = mapped_column(sa.Integer)
    duration_ms: Mapped[float] = mapped_column(sa.Float, nullable=False)
    error: Mapped[str | None] = mapped_column(sa.String(500))
