"""Providers, offerings (hours, exceptions), search indexes, reviews; category tree.

PostgreSQL: the unaccent and pg_trgm extensions (created here, only on PostgreSQL), catalog_fold()
(unaccent + đ -> d, since not every unaccent.rules maps "đ"), a generated weighted tsvector with a GIN
index, and a trigram index on the search vocabulary. SQLite (embedded mode): an FTS5 table the
repository fills with the folded text.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hues_shared.types import BigId, UtcDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUBCATEGORIES = [
    ("hospital", "service", "healthcare", "Bệnh viện", "Hospitals"),
    ("clinic", "service", "healthcare", "Phòng khám", "Clinics"),
    ("pharmacy", "goods", "medicine", "Nhà thuốc", "Pharmacies"),
    ("market", "goods", "food", "Chợ, siêu thị", "Markets and supermarkets"),
    ("heritage", "service", "tourism", "Di tích, danh thắng", "Heritage sites"),
    ("dining", "service", "tourism", "Ăn uống", "Dining"),
    ("lodging", "service", "tourism", "Lưu trú", "Lodging"),
    ("school", "service", "education", "Trường học", "Schools"),
]
FOLD_FUNCTION = """
CREATE OR REPLACE FUNCTION catalog_fold(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT trim(regexp_replace(
    lower(public.unaccent('public.unaccent'::regdictionary, translate(value, 'đĐðÐ', 'dddd'))),
    '[^a-z0-9]+', ' ', 'g'))
$$
"""


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    ]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("offering_categories") as batch:
        batch.add_column(sa.Column("parent_code", sa.String(40), nullable=True))
        batch.create_foreign_key(
            "fk_offering_categories_parent_code_offering_categories",
            "offering_categories",
            ["parent_code"],
            ["code"],
        )
    categories = sa.table(
        "offering_categories",
        sa.column("code", sa.String),
        sa.column("kind", sa.String),
        sa.column("name_vi", sa.String),
        sa.column("name_en", sa.String),
        sa.column("essential", sa.Boolean),
        sa.column("parent_code", sa.String),
    )
    op.bulk_insert(
        categories,
        [
            {
                "code": "mini-apps",
                "kind": "mini-app",
                "name_vi": "Tiện ích",
                "name_en": "Mini-apps",
                "essential": False,
                "parent_code": None,
            }
        ]
        + [
            {"code": c, "kind": k, "parent_code": p, "name_vi": vi, "name_en": en, "essential": False}
            for c, k, p, vi, en in SUBCATEGORIES
        ],
    )
    op.create_table(
        "providers",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("unit_id", sa.String(36), index=True),
        sa.Column("owner_account_id", sa.String(36), index=True),
        sa.Column("integration_id", sa.String(64), unique=True),
        sa.Column("verified", sa.Boolean, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("suspension_reason", sa.String(500)),
        sa.Column("phone", sa.String(30)),
        sa.Column("email", sa.String(200)),
        sa.Column("website", sa.String(500)),
        sa.Column("logo_url", sa.String(500)),
        *_stamps(),
    )
    op.create_table(
        "offerings",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("provider_id", sa.String(36), sa.ForeignKey("providers.id"), nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column(
            "category_code",
            sa.String(40),
            sa.ForeignKey("offering_categories.code"),
            nullable=False,
            index=True,
        ),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("suspension_reason", sa.String(500)),
        sa.Column("procedure_code", sa.String(40)),
        sa.Column("portal_url", sa.String(500)),
        sa.Column("price_note", sa.String(500)),
        sa.Column("address", sa.String(300)),
        sa.Column("ward_code", sa.String(5), index=True),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
        sa.Column("phone", sa.String(30)),
        sa.Column("email", sa.String(200)),
        sa.Column("website", sa.String(500)),
        sa.Column("links", sa.JSON, nullable=False),
        sa.Column("images", sa.JSON, nullable=False),
        sa.Column("opening_hours", sa.JSON, nullable=False),
        sa.Column("hour_exceptions", sa.JSON, nullable=False),
        sa.Column("rating_count", sa.Integer, nullable=False),
        sa.Column("rating_sum", sa.Integer, nullable=False),
        sa.Column("search_title", sa.String(200), nullable=False),
        sa.Column("search_extra", sa.Text, nullable=False),
        *_stamps(),
    )
    op.create_index("ix_offerings_latitude_longitude", "offerings", ["latitude", "longitude"])
    op.create_table(
        "offering_opening_slots",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column(
            "offering_id", sa.String(36), sa.ForeignKey("offerings.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("weekday", sa.SmallInteger, nullable=False),
        sa.Column("start_minute", sa.SmallInteger, nullable=False),
        sa.Column("end_minute", sa.SmallInteger, nullable=False),
        sa.Column("spill", sa.Boolean, nullable=False),
    )
    op.create_index("ix_offering_opening_slots_lookup", "offering_opening_slots", ["offering_id", "weekday"])
    op.create_table(
        "offering_exception_days",
        sa.Column(
            "offering_id", sa.String(36), sa.ForeignKey("offerings.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("on_date", sa.Date, primary_key=True),
    )
    op.create_table(
        "offering_exception_slots",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column(
            "offering_id", sa.String(36), sa.ForeignKey("offerings.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("on_date", sa.Date, nullable=False),
        sa.Column("start_minute", sa.SmallInteger, nullable=False),
        sa.Column("end_minute", sa.SmallInteger, nullable=False),
    )
    op.create_index(
        "ix_offering_exception_slots_lookup", "offering_exception_slots", ["offering_id", "on_date"]
    )
    op.create_table(
        "search_terms",
        sa.Column("term", sa.String(60), primary_key=True),
        sa.Column("length", sa.SmallInteger, nullable=False, index=True),
    )
    op.create_table(
        "reviews",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("offering_id", sa.String(36), sa.ForeignKey("offerings.id"), nullable=False, index=True),
        sa.Column("author_account_id", sa.String(36), nullable=False, index=True),
        sa.Column("rating", sa.SmallInteger, nullable=False),
        sa.Column("text", sa.Text),
        sa.Column("visible", sa.Boolean, nullable=False),
        sa.Column("moderation_reason", sa.String(500)),
        sa.Column("reply_text", sa.Text),
        sa.Column("replied_at", UtcDateTime()),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("offering_id", "author_account_id", name="uq_reviews_offering_author"),
    )
    op.create_table(
        "review_reports",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("review_id", sa.String(36), sa.ForeignKey("reviews.id"), nullable=False, index=True),
        sa.Column("reporter_account_id", sa.String(36), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("resolved_at", UtcDateTime()),
        sa.UniqueConstraint("review_id", "reporter_account_id", name="uq_review_reports_reporter"),
    )
    if postgres:
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public")
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
        op.execute(FOLD_FUNCTION)
        op.execute(
            "ALTER TABLE offerings ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('simple', catalog_fold(title)), 'A') || "
            "setweight(to_tsvector('simple', catalog_fold(search_extra)), 'B')) STORED"
        )
        op.execute("CREATE INDEX ix_offerings_search_vector ON offerings USING gin (search_vector)")
        op.execute(
            "CREATE INDEX ix_search_terms_trigram ON search_terms USING gin (term public.gin_trgm_ops)"
        )
    else:
        op.execute(
            "CREATE VIRTUAL TABLE offering_search USING fts5("
            "offering_id UNINDEXED, title, extra, tokenize = 'unicode61 remove_diacritics 2')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE offering_search")
    for table in (
        "review_reports",
        "reviews",
        "search_terms",
        "offering_exception_slots",
        "offering_exception_days",
        "offering_opening_slots",
        "offerings",
        "providers",
    ):
        op.drop_table(table)
    op.execute("DELETE FROM offering_categories WHERE parent_code IS NOT NULL OR code = 'mini-apps'")
    with op.batch_alter_table("offering_categories") as batch:
        batch.drop_constraint("fk_offering_categories_parent_code_offering_categories", type_="foreignkey")
        batch.drop_column("parent_code")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS catalog_fold(text)")
