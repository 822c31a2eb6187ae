"""Citizens' consents to applications (Law 91/2025): one row per grant, kept after revocation."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hues_shared.types import JsonDocument, UtcDateTime, utcnow
from integration_service.db import Base


class Consent(Base):
    __tablename__ = "consents"
    __table_args__ = (sa.Index("ix_consents_account_application", "account_id", "application_id"),)

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    account_id: Mapped[str] = mapped_column(sa.String(36), nullable=False)
    application_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("applications.id"), nullable=False
    )
    scopes: Mapped[list[str]] = mapped_column(JsonDocument, nullable=False)
    fields: Mapped[list[str]] = mapped_column(JsonDocument, nullable=False)
    purpose: Mapped[str] = mapped_column(sa.Text, nullable=False)  # as the manifest stated it when granted
    granted_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    revoked_by: Mapped[str | None] = mapped_column(sa.String(40))  # citizen | account-closed
