"""Initial schema: messaging tables and the connection standard (version 1.0 seeded).

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from hues_shared.migrations import create_messaging_tables
from hues_shared.types import JsonDocument, UtcDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STANDARD_V1 = {
    "regulation": "Decision 62/2021/QD-UBND, Art. 5, 10.2, 11.2, 15.2",
    "authentication": {
        "scheme": "OAuth 2.0 client credentials (RFC 6749, section 4.4)",
        "token_endpoint": "/v1/auth/token",
        "credentials": "issued per approved application by integration-service",
    },
    "request_signing": {
        "scheme": "HTTP Message Signatures (RFC 9421)",
        "algorithms": ["ed25519", "hmac-sha256"],
        "covered_components": ["@method", "@target-uri", "content-digest", "x-request-id"],
        "required_parameters": ["created", "expires", "keyid", "nonce"],
        "max_clock_skew_seconds": 300,
        "content_digest": "RFC 9530, sha-256",
    },
    "webhooks": {
        "scheme": "Standard Webhooks",
        "headers": ["webhook-id", "webhook-timestamp", "webhook-signature"],
        "tolerance_seconds": 300,
    },
    "events": {"envelope": "CloudEvents 1.0", "content_type": "application/json"},
    "errors": {"format": "RFC 9457 problem details (application/problem+json)"},
    "personal_data": "Partner access to a citizen's data needs that citizen's recorded, revocable consent "
    "(Law 91/2025/QH15).",
}


def upgrade() -> None:
    create_messaging_tables(op.get_bind())
    table = op.create_table(
        "connection_standards",
        sa.Column("version", sa.String(20), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("published_at", UtcDateTime(), nullable=False),
        sa.Column("document", JsonDocument, nullable=False),
    )
    op.bulk_insert(
        table,
        [
            {
                "version": "1.0",
                "title": "Hue-S connection and data-interoperability standard",
                "published_at": datetime(2026, 11, 29, tzinfo=UTC),
                "document": STANDARD_V1,
            }
        ],
    )


def downgrade() -> None:
    op.drop_table("connection_standards")
