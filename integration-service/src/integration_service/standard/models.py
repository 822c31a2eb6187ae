"""The connection standard the DIC issues for partner systems (Art. 5, 15.2), kept by version."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hues_shared.types import JsonDocument, UtcDateTime
from integration_service.db import Base


class ConnectionStandard(Base):
    __tablename__ = "connection_standards"

    version: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    document: Mapped[dict[str, Any]] = mapped_column(JsonDocument, nullable=False)
