"""Topics an account follows, and its per-topic, per-channel preferences (Novu-style)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from notification_service.db import Base


class TopicSubscription(Base):
    __tablename__ = "topic_subscriptions"
    __table_args__ = (sa.Index("ix_topic_subscriptions_topic", "topic"),)

    account_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    topic: Mapped[str] = mapped_column(sa.String(40), primary_key=True)


class ChannelPreference(Base):
    """A row only where the account turned a channel off for a topic (absence = on)."""

    __tablename__ = "channel_preferences"

    account_id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    topic: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(10), primary_key=True)  # inbox | push
