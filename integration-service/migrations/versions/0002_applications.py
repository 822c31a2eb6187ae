"""Applications, review history and conformance reports (Art. 10, 11, 15.2).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hues_shared.types import JsonDocument, UtcDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "applications",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("owner_kind", sa.String(20), nullable=False),
        sa.Column("owner_id", sa.String(36), nullable=False),
        sa.Column("created_by", sa.String(36), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("manifest", JsonDocument, nullable=False),
        sa.Column("sandbox_approved", sa.Boolean, nullable=False),
        sa.Column("production_approved", sa.Boolean, nullable=False),
        sa.Column("webhook_secret_sealed", sa.Text),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("submitted_at", UtcDateTime()),
    )
    op.create_index("ix_applications_owner", "applications", ["owner_kind", "owner_id", "created_at"])
    op.create_index("ix_applications_status", "applications", ["status"])
    op.create_table(
        "application_reviews",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("application_id", sa.String(36), sa.ForeignKey("applications.id"), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("from_status", sa.String(30)),
        sa.Column("to_status", sa.String(30), nullable=False),
        sa.Column("actor_id", sa.String(36), nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_application_reviews_application_id", "application_reviews", ["application_id"])
    op.create_table(
        "conformance_reports",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("application_id", sa.String(36), sa.ForeignKey("applications.id"), nullable=False),
        sa.Column("application_version", sa.Integer, nullable=False),
        sa.Column("passed", sa.Boolean, nullable=False),
        sa.Column("results", JsonDocument, nullable=False),
        sa.Column("checked_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_conformance_reports_application_id", "conformance_reports", ["application_id"])
    op.create_table(
        "clients",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("application_id", sa.String(36), sa.ForeignKey("applications.id"), nullable=False),
        sa.Column("environment", sa.String(20), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("application_id", "environment"),
    )
    op.create_table(
        "client_secrets",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("client_id", sa.String(64), sa.ForeignKey("clients.id"), nullable=False, index=True),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("not_after", UtcDateTime()),
    )
    op.create_table(
        "signing_keys",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("client_id", sa.String(64), sa.ForeignKey("clients.id"), nullable=False, index=True),
        sa.Column("algorithm", sa.String(20), nullable=False),
        sa.Column("public_key", sa.Text),
        sa.Column("sealed_secret", sa.Text),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("not_after", UtcDateTime()),
    )
    op.create_table(
        "token_signing_keys",
        sa.Column("kid", sa.String(64), primary_key=True),
        sa.Column("private_key_sealed", sa.Text, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "webhook_subscriptions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "application_id", sa.String(36), sa.ForeignKey("applications.id"), nullable=False, index=True
        ),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("event_types", JsonDocument, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("disabled_at", UtcDateTime()),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column(
            "subscription_id",
            sa.String(36),
            sa.ForeignKey("webhook_subscriptions.id"),
            nullable=False,
            index=True,
        ),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("payload", JsonDocument, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", UtcDateTime()),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("delivered_at", UtcDateTime()),
        sa.UniqueConstraint("subscription_id", "event_id"),
    )
    op.create_index("ix_webhook_deliveries_due", "webhook_deliveries", ["status", "next_attempt_at"])
    op.create_table(
        "webhook_attempts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "delivery_id", sa.String(40), sa.ForeignKey("webhook_deliveries.id"), nullable=False, index=True
        ),
        sa.Column("attempted_at", UtcDateTime(), nullable=False),
        sa.Column("status_code", sa.Integer),
        sa.Column("duration_ms", sa.Float, nullable=False),
        sa.Column("error", sa.String(500)),
    )


def downgrade() -> None:
    for table in ("webhook_attempts", "webhook_deliveries", "webhook_subscriptions"):
        op.drop_table(table)
    for table in ("token_signing_keys", "signing_keys", "client_secrets", "clients"):
        op.drop_table(table)
    op.drop_table("conformance_reports")
    op.drop_table("application_reviews")
    op.drop_table("applications")
