"""Citizens' consents to partner applications (Law 91/2025) and daily partner usage (Art. 15.3).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hues_shared.types import JsonDocument, UtcDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "consents",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("account_id", sa.String(36), nullable=False),
        sa.Column("application_id", sa.String(36), sa.ForeignKey("applications.id"), nullable=False),
        sa.Column("scopes", JsonDocument, nullable=False),
        sa.Column("fields", JsonDocument, nullable=False),
        sa.Column("purpose", sa.Text, nullable=False),
        sa.Column("granted_at", UtcDateTime(), nullable=False),
        sa.Column("revoked_at", UtcDateTime()),
        sa.Column("revoked_by", sa.String(40)),
    )
    op.create_index("ix_consents_account_application", "consents", ["account_id", "application_id"])
    op.create_table(
        "daily_usage",
        sa.Column("application_id", sa.String(36), primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("route", sa.String(100), primary_key=True),
        sa.Column("requests", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("daily_usage")
    op.drop_table("consents")
