"""Bootstrap records (the seed finds its administrator by stored id, never by a login name) and
outbound messages (texts sent by identity's handler after the request committed); accounts.registration_decoy
(a registration answered alike although its identifiers are taken, Art. 18).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hues_shared.types import JsonDocument, UtcDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bootstrap_records",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("account_id", sa.String(36), nullable=False),
        sa.Column("seeded_permissions", JsonDocument),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    # A database seeded before this revision: its administrator is the account the seed created, as
    # the audit trail says. seeded_permissions stays NULL: "the catalogue as it is now" (none re-granted).
    op.execute(
        """
        INSERT INTO bootstrap_records (name, account_id, seeded_permissions, created_at)
        SELECT 'dic_admin', subject_account_id, NULL, occurred_at FROM audit_events
        WHERE id = (
            SELECT min(id) FROM audit_events
            WHERE action = 'staff.created' AND actor_account_id = 'system:bootstrap'
        )
        """
    )

    op.create_table(
        "outbound_messages",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("account_id", sa.String(36)),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("purpose", sa.String(40), nullable=False),
        sa.Column("destination_enc", sa.Text),
        sa.Column("text_enc", sa.Text),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("sent_at", UtcDateTime()),
    )
    op.create_index("ix_outbound_messages_unsent", "outbound_messages", ["sent_at", "created_at"])
    op.add_column(
        "accounts",
        sa.Column("registration_decoy", sa.Boolean, nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("registration_decoy")
    op.drop_table("outbound_messages")
    op.drop_table("bootstrap_records")
