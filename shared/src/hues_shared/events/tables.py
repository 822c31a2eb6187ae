"""Messaging tables every service owns in its own database: outbox, inbox, dead letters, idempotency keys."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from hues_shared.types import BigId, JsonDocument, UtcDateTime


@dataclass(frozen=True)
class MessagingTables:
    outbox: sa.Table
    inbox: sa.Table
    dead_letters: sa.Table
    idempotency_keys: sa.Table


def messaging_tables(metadata: sa.MetaData) -> MessagingTables:
    """Define the four tables on a service's metadata (call once per service)."""
    outbox = sa.Table(
        "outbox_events",
        metadata,
        sa.Column("position", BigId, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("partition_key", sa.String(200), nullable=False),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("subject", sa.String(200)),
        sa.Column("occurred_at", UtcDateTime(), nullable=False),
        sa.Column("payload", JsonDocument, nullable=False),
        sa.Column("traceparent", sa.String(64)),
        sa.Column("published_at", UtcDateTime()),
        sa.Index(
            "ix_outbox_events_unpublished",
            "position",
            postgresql_where=sa.text("published_at IS NULL"),
            sqlite_where=sa.text("published_at IS NULL"),
        ),
    )
    inbox = sa.Table(
        "inbox_events",
        metadata,
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("consumer", sa.String(100), primary_key=True),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("processed_at", UtcDateTime(), nullable=False),
    )
    dead_letters = sa.Table(
        "dead_letters",
        metadata,
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(200), nullable=False),
        sa.Column("consumer", sa.String(100), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("partition_key", sa.String(200), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("occurred_at", UtcDateTime(), nullable=False),
        sa.Column("payload", JsonDocument, nullable=False),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("failed_at", UtcDateTime(), nullable=False),
        sa.Column("replayed_at", UtcDateTime()),
        sa.Index("ix_dead_letters_pending", "consumer", "id"),
    )
    idempotency_keys = sa.Table(
        "idempotency_keys",
        metadata,
        sa.Column("scope", sa.String(200), primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer, nullable=False),
        sa.Column("response_body", JsonDocument, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    return MessagingTables(outbox, inbox, dead_letters, idempotency_keys)
