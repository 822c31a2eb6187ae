"""Units: city departments, ward/commune People's Committees, public service units, the DIC and the IOC."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hues_shared.types import UtcDateTime, utcnow
from identity_service.db import Base


class UnitKind(StrEnum):
    DEPARTMENT = "department"
    WARD_COMMITTEE = "ward_committee"
    PUBLIC_SERVICE = "public_service"
    DIC = "dic"
    IOC = "ioc"


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    code: Mapped[str] = mapped_column(sa.String(40), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    kind: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    ward_code: Mapped[str | None] = mapped_column(sa.String(5))
    parent_unit_id: Mapped[str | None] = mapped_column(sa.String(36), sa.ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
