"""Photos and videos of a report (the reporter's) or of its resolution (the unit's)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from feedback_service.db import Base
from hues_shared.types import UtcDateTime


class ReportMedia(Base):
    __tablename__ = "report_media"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    report_id: Mapped[str] = mapped_column(sa.String(36), nullable=False, index=True)
    purpose: Mapped[str] = mapped_column(sa.String(10), nullable=False)  # report | result
    kind: Mapped[str] = mapped_column(sa.String(10), nullable=False)  # photo | video
    content_type: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    size_bytes: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    width: Mapped[int | None] = mapped_column(sa.Integer)
    height: Mapped[int | None] = mapped_column(sa.Integer)
    duration_seconds: Mapped[float | None] = mapped_column(sa.Float)
    storage_key: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    thumbnail_key: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
