"""Administrative units of Hue as reference data (seeded by migration from vietnam-provinces)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from identity_service.db import Base


class AdministrativeWard(Base):
    __tablename__ = "wards"

    code: Mapped[str] = mapped_column(sa.String(5), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    division_type: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    codename: Mapped[str] = mapped_column(sa.String(120), nullable=False)
