"""Accounts, identifiers, units, roles, permission grants, sessions, signing keys, OTP, audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hues_shared.types import BigId, JsonDocument, UtcDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "units",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("code", sa.String(40), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("ward_code", sa.String(5)),
        sa.Column("parent_unit_id", sa.String(36), sa.ForeignKey("units.id")),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "accounts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("birth_date", sa.Date),
        sa.Column("sex", sa.String(10)),
        sa.Column("home_ward_code", sa.String(5)),
        sa.Column("document_type", sa.String(10)),
        sa.Column("document_number_enc", sa.Text),
        sa.Column("phone_enc", sa.Text),
        sa.Column("email_enc", sa.Text),
        sa.Column("organization_kind", sa.String(20)),
        sa.Column("tax_code_enc", sa.Text),
        sa.Column("representative_name", sa.String(200)),
        sa.Column("unit_id", sa.String(36), sa.ForeignKey("units.id")),
        sa.Column("password_hash", sa.String(255)),
        sa.Column("password_changed_at", UtcDateTime()),
        sa.Column("password_must_change", sa.Boolean, nullable=False),
        sa.Column("password_reminder_days_left", sa.Integer),
        sa.Column("totp_secret_enc", sa.Text),
        sa.Column("totp_enabled", sa.Boolean, nullable=False),
        sa.Column("totp_last_counter", sa.BigInteger),
        sa.Column("lock_reason", sa.String(300)),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("verified_at", UtcDateTime()),
        sa.Column("closed_at", UtcDateTime()),
    )
    op.create_index("ix_accounts_kind_status", "accounts", ["kind", "status"])
    op.create_index("ix_accounts_unit", "accounts", ["unit_id"])
    op.create_index("ix_accounts_password_changed", "accounts", ["password_changed_at"])
    op.create_table(
        "login_identifiers",
        sa.Column("blind_index", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column(
            "account_id", sa.String(36), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False
        ),
    )
    op.create_index("ix_login_identifiers_account", "login_identifiers", ["account_id"])
    op.create_table(
        "role_assignments",
        sa.Column(
            "account_id", sa.String(36), sa.ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("role", sa.String(30), primary_key=True),
        sa.Column("unit_id", sa.String(36), sa.ForeignKey("units.id"), nullable=False),
        sa.Column("granted_by", sa.String(36), nullable=False),
        sa.Column("granted_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "permission_grants",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "account_id", sa.String(36), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("permission", sa.String(100), nullable=False),
        sa.Column("unit_id", sa.String(36), sa.ForeignKey("units.id")),
        sa.Column("unit_key", sa.String(36), nullable=False),
        sa.Column("granted_by", sa.String(36), nullable=False),
        sa.Column("granted_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("account_id", "permission", "unit_key", name="uq_permission_grants_scope"),
    )
    op.create_index("ix_permission_grants_account", "permission_grants", ["account_id"])
    op.create_table(
        "password_history",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "account_id", sa.String(36), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_password_history_account", "password_history", ["account_id"])
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "account_id", sa.String(36), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("last_used_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("client_address", sa.String(64)),
        sa.Column("user_agent", sa.String(300)),
        sa.Column("revoked_at", UtcDateTime()),
        sa.Column("revoked_reason", sa.String(60)),
    )
    op.create_index("ix_sessions_account", "sessions", ["account_id"])
    op.create_table(
        "refresh_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column(
            "session_id", sa.String(36), sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("issued_at", UtcDateTime(), nullable=False),
        sa.Column("used_at", UtcDateTime()),
    )
    op.create_index("ix_refresh_tokens_session", "refresh_tokens", ["session_id"])
    op.create_table(
        "otp_challenges",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "account_id", sa.String(36), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("purpose", sa.String(30), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("consumed_at", UtcDateTime()),
    )
    op.create_index("ix_otp_challenges_account", "otp_challenges", ["account_id", "created_at"])
    op.create_table(
        "signing_keys",
        sa.Column("kid", sa.String(64), primary_key=True),
        sa.Column("algorithm", sa.String(10), nullable=False),
        sa.Column("public_jwk", JsonDocument, nullable=False),
        sa.Column("private_key_enc", sa.Text, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("retired_at", UtcDateTime()),
        sa.Column("publish_until", UtcDateTime()),
    )
    op.create_table(
        "login_throttles",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("window_started_at", UtcDateTime(), nullable=False),
        sa.Column("locked_until", UtcDateTime()),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("occurred_at", UtcDateTime(), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("actor_account_id", sa.String(36)),
        sa.Column("subject_account_id", sa.String(36)),
        sa.Column("client_address", sa.String(64)),
        sa.Column("details", JsonDocument, nullable=False),
    )
    op.create_index("ix_audit_events_subject", "audit_events", ["subject_account_id", "id"])
    op.create_index("ix_audit_events_action", "audit_events", ["action", "id"])


def downgrade() -> None:
    for table in (
        "audit_events",
        "login_throttles",
        "signing_keys",
        "otp_challenges",
        "refresh_tokens",
        "sessions",
        "password_history",
        "permission_grants",
        "role_assignments",
        "login_identifiers",
        "accounts",
        "units",
    ):
        op.drop_table(table)
