"""Accounts (citizen, organization, staff) and the blind-indexed identifiers they log in with."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hues_shared.types import UtcDateTime, utcnow
from identity_service.db import Base


class AccountKind(StrEnum):
    CITIZEN = "citizen"
    ORGANIZATION = "organization"
    STAFF = "staff"


class AccountStatus(StrEnum):
    PENDING = "pending_verification"
    ACTIVE = "active"
    LOCKED = "locked"
    CLOSED = "closed"


class Account(Base):
    """One person or organization (Art. 7.1, 8.1). `*_enc` columns are AES-GCM ciphertexts."""

    __tablename__ = "accounts"
    __table_args__ = (
        sa.Index("ix_accounts_kind_status", "kind", "status"),
        sa.Index("ix_accounts_unit", "unit_id"),
        sa.Index("ix_accounts_password_changed", "password_changed_at"),
    )

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    kind: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    status: Mapped[str] = mapped_column(sa.String(30), nullable=False)
    display_name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    birth_date: Mapped[date | None] = mapped_column(sa.Date)
    sex: Mapped[str | None] = mapped_column(sa.String(10))
    home_ward_code: Mapped[str | None] = mapped_column(sa.String(5))
    document_type: Mapped[str | None] = mapped_column(sa.String(10))
    document_number_enc: Mapped[str | None] = mapped_column(sa.Text)
    phone_enc: Mapped[str | None] = mapped_column(sa.Text)
    email_enc: Mapped[str | None] = mapped_column(sa.Text)
    organization_kind: Mapped[str | None] = mapped_column(sa.String(20))
    tax_code_enc: Mapped[str | None] = mapped_column(sa.Text)
    representative_name: Mapped[str | None] = mapped_column(sa.String(200))
    unit_id: Mapped[str | None] = mapped_column(sa.String(36), sa.ForeignKey("units.id"))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    password_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    password_must_change: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    password_reminder_days_left: Mapped[int | None] = mapped_column(sa.Integer)
    totp_secret_enc: Mapped[str | None] = mapped_column(sa.Text)
    totp_enabled: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    totp_last_counter: Mapped[int | None] = mapped_column(sa.BigInteger)
    lock_reason: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    verified_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # A registration with identifiers someone already holds: answered like any registration (Art. 18),
    # never gets a login name, never verifies, purged with the other unverified registrations.
    registration_decoy: Mapped[bool] = mapped_column(
        sa.Boolean, nullable=False, default=False, server_default=sa.false()
    )


class LoginIdentifier(Base):
    """A keyed blind index of a document number, phone or tax code: unique, so one account per identifier."""

    __tablename__ = "login_identifiers"
    __table_args__ = (sa.Index("ix_login_identifiers_account", "account_id"),)

    blind_index: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    account_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False
    )
