"""Connection standard v1.1 (docs/connection-standard.md): partner tokens, signing rules, webhooks.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from hues_shared.types import JsonDocument, UtcDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STANDARD_V1_1 = {
    "regulation": "Decision 62/2021/QD-UBND, Art. 5, 10, 11, 13.1, 15.2, 15.3; Law 91/2025/QH15",
    "document": "docs/connection-standard.md",
    "identifiers": {
        "application": "UUID, assigned on creation (ứng dụng / application)",
        "client_id": "hues-<env>-<hex>, one per approved environment (sandbox, production)",
        "keyid": "key-<hex>, one per registered signing key",
        "webhook_id": "msg_<hex>, stable across retries of one delivery",
    },
    "authentication": {
        "scheme": "OAuth 2.0 client credentials (RFC 6749, section 4.4)",
        "token_endpoint": "/v1/integration/oauth/token",
        "jwks": "/v1/integration/oauth/jwks.json",
        "client_authentication": ["client_secret_basic", "client_secret_post"],
        "token": "ES256 JWT, 10 minutes, audience hue-s-partners, claims client_id, app, env, scope",
    },
    "request_signing": {
        "scheme": "HTTP Message Signatures (RFC 9421)",
        "algorithms": ["ed25519", "hmac-sha256"],
        "covered_components": ["@method", "@target-uri", "content-digest (when there is a body)"],
        "required_parameters": ["created", "keyid", "nonce"],
        "optional_parameters": ["alg", "expires"],
        "max_clock_skew_seconds": 300,
        "nonce": "single use per keyid within 600 seconds",
        "content_digest": "RFC 9530, sha-256 or sha-512",
        "max_signed_body_bytes": 65536,
    },
    "required_headers": [
        "Authorization: Bearer <client token>",
        "Signature-Input",
        "Signature",
        "Content-Digest (with a body)",
        "X-Request-ID (recommended)",
    ],
    "errors": {
        "format": "RFC 9457 problem details (application/problem+json)",
        "type": "https://hue-s.vn/problems/<rule>; the rule names are listed in the document, section 7",
    },
    "versioning": {
        "paths": "/v<major>/...",
        "deprecation": "Deprecation and Sunset headers (RFC 9745, RFC 8594)",
        "overlap_months": 12,
    },
    "rate_limits": {
        "default": "1200 requests per minute per client",
        "headers": ["RateLimit", "RateLimit-Policy"],
    },
    "webhooks": {
        "scheme": "Standard Webhooks",
        "headers": ["webhook-id", "webhook-timestamp", "webhook-signature"],
        "tolerance_seconds": 300,
        "retry_schedule_seconds": [5, 300, 1800, 7200, 18000, 36000, 36000],
        "timeout_seconds": 5,
        "disable_after": "a delivery failing through the whole schedule (about 27.6 hours)",
    },
    "personal_data": "Named personal-data scopes, each with a purpose; a citizen's recorded, revocable "
    "consent (Law 91/2025/QH15).",
    "support": {"sla": "99.5% monthly for production routes", "contact": "integration@hue-s.vn (DIC)"},
    "partner_openapi": [
        "OpenAPI 3.x",
        "https servers",
        "versioned paths /v1/...",
        "a security scheme",
        "application/problem+json on error responses",
    ],
}


def upgrade() -> None:
    table = sa.table(
        "connection_standards",
        sa.column("version", sa.String),
        sa.column("title", sa.String),
        sa.column("published_at", UtcDateTime()),
        sa.column("document", JsonDocument),
    )
    op.bulk_insert(
        table,
        [
            {
                "version": "1.1",
                "title": "Hue-S connection and data-interoperability standard (Tiêu chuẩn kết nối)",
                "published_at": datetime(2026, 12, 3, tzinfo=UTC),
                "document": STANDARD_V1_1,
            }
        ],
    )


def downgrade() -> None:
    op.execute("DELETE FROM connection_standards WHERE version = '1.1'")
