"""Initial schema: messaging tables and Hue's wards (seeded from vietnam-provinces).

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hues_shared.migrations import create_messaging_tables
from identity_service.wards.reference import hue_wards

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_messaging_tables(op.get_bind())
    wards = op.create_table(
        "wards",
        sa.Column("code", sa.String(5), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("division_type", sa.String(40), nullable=False),
        sa.Column("codename", sa.String(120), nullable=False),
    )
    op.bulk_insert(
        wards,
        [
            {"code": w.code, "name": w.name, "division_type": w.division_type, "codename": w.codename}
            for w in hue_wards()
        ],
    )


def downgrade() -> None:
    op.drop_table("wards")
