"""Units as identity publishes them: a local projection, so routing never calls identity."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from feedback_service.db import Base
from hues_shared.types import UtcDateTime


class Unit(Base):
    """One handling unit (agency, ward People's Committee, ...), kept from UnitCreated/UnitUpdated."""

    __tablename__ = "units"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    kind: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    ward_code: Mapped[str | None] = mapped_column(sa.String(5), index=True)
    active: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
