"""Token signing keys: the private half encrypted at rest, the public half published while tokens live."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hues_shared.types import JsonDocument, UtcDateTime, utcnow
from identity_service.db import Base


class SigningKey(Base):
    __tablename__ = "signing_keys"

    kid: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    algorithm: Mapped[str] = mapped_column(sa.String(10), nullable=False)
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JsonDocument, nullable=False)
    private_key_enc: Mapped[str] = mapped_column(sa.Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime())  # stopped signing
    publish_until: Mapped[datetime | None] = mapped_column(UtcDateTime())  # its last tokens have expired
