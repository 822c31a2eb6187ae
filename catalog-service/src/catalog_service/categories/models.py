"""Offering categories: the kinds of essential goods and services providers list (Art. 6.4)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from catalog_service.db import Base


class OfferingCategory(Base):
    __tablename__ = "offering_categories"

    code: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20), nullable=False)  # goods | service | public-service
    name_vi: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    name_en: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    essential: Mapped[bool] = mapped_column(sa.Boolean, nullable=False)
    parent_code: Mapped[str | None] = mapped_column(sa.String(40), sa.ForeignKey("offering_categories.code"))
