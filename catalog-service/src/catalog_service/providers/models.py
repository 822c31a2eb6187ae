"""Providers: the agencies and enterprises whose offerings the catalogue lists (Art. 6.1, 6.4)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from catalog_service.db import Base
from hues_shared.types import UtcDateTime, utcnow


class ProviderKind(StrEnum):
    AGENCY = "agency"  # a state unit; its staff hold catalog.offering.manage@<unit_id>
    ENTERPRISE = "enterprise"  # owned by one organization account (Art. 8.1)
    ORGANIZATION = "organization"


class ProviderStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    RETIRED = "retired"  # its integration was retired (final there); hidden like a suspended one


class Provider(Base):
    __tablename__ = "providers"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    kind: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    description: Mapped[str | None] = mapped_column(sa.Text)
    unit_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    owner_account_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    integration_id: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    verified: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    status: Mapped[str] = mapped_column(sa.String(20), nullable=False, default=ProviderStatus.ACTIVE)
    suspension_reason: Mapped[str | None] = mapped_column(sa.String(500))
    phone: Mapped[str | None] = mapped_column(sa.String(30))
    email: Mapped[str | None] = mapped_column(sa.String(200))
    website: Mapped[str | None] = mapped_column(sa.String(500))
    logo_url: Mapped[str | None] = mapped_column(sa.String(500))
    version: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
