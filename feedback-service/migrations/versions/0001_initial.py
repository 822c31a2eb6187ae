"""Initial schema: messaging tables and report categories (seeded).

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hues_shared.migrations import create_messaging_tables

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Handling times follow comparable city apps (Da Nang answers within 3 working days; standards sheet).
CATEGORIES = [
    ("urban-order", "Trật tự đô thị", "Urban order", "urban", 5),
    ("environment", "Môi trường, rác thải", "Environment and waste", "environment", 5),
    ("traffic", "Giao thông", "Traffic", "transport", 3),
    (
        "infrastructure",
        "Hạ tầng đường, điện chiếu sáng, cấp thoát nước",
        "Roads, lighting, water and drainage",
        "infrastructure",
        5,
    ),
    ("land-construction", "Đất đai, xây dựng", "Land and construction", "urban", 10),
    ("health", "Y tế, an toàn thực phẩm", "Health and food safety", "health", 5),
    ("education", "Giáo dục", "Education", "education", 7),
    ("public-security", "An ninh trật tự", "Public security", "security", 2),
    ("administrative-procedures", "Thủ tục hành chính", "Administrative procedures", "administration", 7),
    ("tourism", "Du lịch, dịch vụ", "Tourism and services", "economy", 5),
    ("other", "Khác", "Other", "other", 7),
]


def upgrade() -> None:
    create_messaging_tables(op.get_bind())
    table = op.create_table(
        "report_categories",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("name_vi", sa.String(200), nullable=False),
        sa.Column("name_en", sa.String(200), nullable=False),
        sa.Column("group", sa.String(60), nullable=False),
        sa.Column("handling_days", sa.Integer, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    )
    op.bulk_insert(
        table,
        [
            {
                "code": c,
                "name_vi": vi,
                "name_en": en,
                "group": g,
                "handling_days": d,
                "active": True,
                "position": i,
            }
            for i, (c, vi, en, g, d) in enumerate(CATEGORIES)
        ],
    )


def downgrade() -> None:
    op.drop_table("report_categories")
