"""Report media: photos and short videos, stored cleaned in the media storage.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hues_shared.types import UtcDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_media",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("report_id", sa.String(36), nullable=False),
        sa.Column("purpose", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("content_type", sa.String(40), nullable=False),
        sa.Column("size_bytes", sa.Integer, nullable=False),
        sa.Column("width", sa.Integer),
        sa.Column("height", sa.Integer),
        sa.Column("duration_seconds", sa.Float),
        sa.Column("storage_key", sa.String(200), nullable=False),
        sa.Column("thumbnail_key", sa.String(200)),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_report_media_report_id", "report_media", ["report_id"])


def downgrade() -> None:
    op.drop_table("report_media")
