"""Reference data: the centre of each ward/commune, to match CAP polygons and circles against home wards."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from notification_service.db import Base


class WardCentre(Base):
    __tablename__ = "ward_centres"

    ward_code: Mapped[str] = mapped_column(sa.String(5), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), nullable=False)
    latitude: Mapped[float] = mapped_column(sa.Float, nullable=False)
    longitude: Mapped[float] = mapped_column(sa.Float, nullable=False)
