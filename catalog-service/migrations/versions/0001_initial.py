"""Initial schema: messaging tables and offering categories (seeded).

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

CATEGORIES = [
    ("food", "goods", "Lương thực, thực phẩm", "Food", True),
    ("clean-water", "goods", "Nước sạch", "Clean water", True),
    ("fuel", "goods", "Xăng dầu, khí đốt", "Fuel and gas", True),
    ("medicine", "goods", "Thuốc, vật tư y tế", "Medicine and medical supplies", True),
    ("building-materials", "goods", "Vật liệu xây dựng", "Building materials", False),
    ("healthcare", "service", "Khám chữa bệnh", "Healthcare", True),
    ("education", "service", "Giáo dục, đào tạo", "Education", True),
    ("transport", "service", "Vận tải, đi lại", "Transport", True),
    ("electricity", "service", "Điện", "Electricity", True),
    ("telecom", "service", "Viễn thông, Internet", "Telecom and Internet", True),
    ("tourism", "service", "Du lịch, lưu trú, ăn uống", "Tourism, lodging and dining", False),
    ("online-public-services", "public-service", "Dịch vụ công trực tuyến", "Online public services", True),
]


def upgrade() -> None:
    create_messaging_tables(op.get_bind())
    table = op.create_table(
        "offering_categories",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name_vi", sa.String(200), nullable=False),
        sa.Column("name_en", sa.String(200), nullable=False),
        sa.Column("essential", sa.Boolean, nullable=False),
    )
    op.bulk_insert(
        table,
        [
            {"code": c, "kind": k, "name_vi": vi, "name_en": en, "essential": e}
            for c, k, vi, en, e in CATEGORIES
        ],
    )


def downgrade() -> None:
    op.drop_table("offering_categories")
