"""Notices and CAP warnings with audience keys (fan-out on read), per-account inbox state, the account
projection, ward centres, preferences, devices and push deliveries.

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
    op.add_column("inbox_messages", sa.Column("archived_at", UtcDateTime()))
    op.create_table(
        "notices",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("unit_id", sa.String(36)),
        sa.Column("author_id", sa.String(36), nullable=False),
        sa.Column("approved_by", sa.String(36)),
        sa.Column("approved_at", UtcDateTime()),
        sa.Column("topic", sa.String(40), nullable=False),
        sa.Column("title_vi", sa.String(200), nullable=False),
        sa.Column("title_en", sa.String(200)),
        sa.Column("body_vi", sa.Text, nullable=False),
        sa.Column("body_en", sa.Text),
        sa.Column("links", JsonDocument, nullable=False),
        sa.Column("images", JsonDocument, nullable=False),
        sa.Column("target", JsonDocument, nullable=False),
        sa.Column("msg_type", sa.String(10), nullable=False),
        sa.Column("references_notice_id", sa.String(36)),
        sa.Column("category", sa.String(20)),
        sa.Column("event", sa.String(100)),
        sa.Column("urgency", sa.String(10)),
        sa.Column("severity", sa.String(10)),
        sa.Column("certainty", sa.String(10)),
        sa.Column("response_types", JsonDocument, nullable=False),
        sa.Column("instruction_vi", sa.Text),
        sa.Column("instruction_en", sa.Text),
        sa.Column("sender_name", sa.String(200)),
        sa.Column("area_desc", sa.String(500)),
        sa.Column("onset_at", UtcDateTime()),
        sa.Column("expires_at", UtcDateTime()),
        sa.Column("critical", sa.Boolean, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("published_at", UtcDateTime()),
        sa.Column("superseded_at", UtcDateTime()),
        sa.Column("superseded_by_id", sa.String(36)),
        sa.Column("targeted_count", sa.Integer),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    )
    op.create_index("ix_notices_published", "notices", ["published_at", "id"])
    op.create_table(
        "notice_audiences",
        sa.Column("notice_id", sa.String(36), primary_key=True),
        sa.Column("audience", sa.String(80), primary_key=True),
        sa.Column("published_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_notice_audiences_key", "notice_audiences", ["audience", "published_at", "notice_id"])
    op.create_table(
        "notice_states",
        sa.Column("account_id", sa.String(36), primary_key=True),
        sa.Column("notice_id", sa.String(36), primary_key=True),
        sa.Column("read_at", UtcDateTime()),
        sa.Column("archived_at", UtcDateTime()),
    )
    op.create_index("ix_notice_states_notice", "notice_states", ["notice_id"])
    op.create_table(
        "recipients",
        sa.Column("account_id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("home_ward_code", sa.String(5)),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("quiet_start_minute", sa.Integer),
        sa.Column("quiet_end_minute", sa.Integer),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_recipients_home_ward", "recipients", ["home_ward_code"])
    op.create_table(
        "recipient_roles",
        sa.Column("account_id", sa.String(36), primary_key=True),
        sa.Column("role", sa.String(40), primary_key=True),
    )
    op.create_index("ix_recipient_roles_role", "recipient_roles", ["role"])
    op.create_table(
        "ward_centres",
        sa.Column("ward_code", sa.String(5), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("latitude", sa.Float, nullable=False),
        sa.Column("longitude", sa.Float, nullable=False),
    )
    op.create_table(
        "topic_subscriptions",
        sa.Column("account_id", sa.String(36), primary_key=True),
        sa.Column("topic", sa.String(40), primary_key=True),
    )
    op.create_index("ix_topic_subscriptions_topic", "topic_subscriptions", ["topic"])
    op.create_table(
        "channel_preferences",
        sa.Column("account_id", sa.String(36), primary_key=True),
        sa.Column("topic", sa.String(40), primary_key=True),
        sa.Column("channel", sa.String(10), primary_key=True),
    )
    op.create_table(
        "devices",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("account_id", sa.String(36), nullable=False),
        sa.Column("platform", sa.String(10), nullable=False),
        sa.Column("token", sa.String(512), nullable=False, unique=True),
        sa.Column("locale", sa.String(2), nullable=False),
        sa.Column("app_version", sa.String(40), nullable=False),
        sa.Column("share_location", sa.Boolean, nullable=False),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
        sa.Column("located_at", UtcDateTime()),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_devices_account", "devices", ["account_id"])
    op.create_table(
        "push_deliveries",
        sa.Column("notice_id", sa.String(36), primary_key=True),
        sa.Column("device_id", sa.String(36), primary_key=True),
        sa.Column("account_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("provider_message_id", sa.String(200)),
        sa.Column("not_before", UtcDateTime()),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_push_deliveries_notice_status", "push_deliveries", ["notice_id", "status"])
    op.create_index("ix_push_deliveries_due", "push_deliveries", ["status", "not_before"])
    op.create_table(
        "push_jobs",
        sa.Column("notice_id", sa.String(36), primary_key=True),
        sa.Column("after_device_id", sa.String(36), nullable=False),
        sa.Column("done_at", UtcDateTime()),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "push_jobs",
        "push_deliveries",
        "devices",
        "channel_preferences",
        "topic_subscriptions",
        "ward_centres",
        "recipient_roles",
        "recipients",
        "notice_states",
        "notice_audiences",
        "notices",
    ):
        op.drop_table(table)
    op.drop_column("inbox_messages", "archived_at")
