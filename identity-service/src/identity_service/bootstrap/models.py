"""What the bootstrap seed created, so a re-run finds it by id (never by a login name someone may hold)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hues_shared.types import JsonDocument, UtcDateTime, utcnow
from identity_service.db import Base


class BootstrapRecord(Base):
    __tablename__ = "bootstrap_records"

    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)  # "dic_admin"
    account_id: Mapped[str] = mapped_column(sa.String(36), nullable=False)
    # Catalogue codes the seed has handed out (or seen) already: never granted again after a revocation.
    # NULL for a database seeded before this was recorded: the catalogue of that day counts as seen.
    seeded_permissions: Mapped[list[str] | None] = mapped_column(JsonDocument)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
