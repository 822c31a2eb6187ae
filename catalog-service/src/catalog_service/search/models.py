"""The search vocabulary: every folded word of the catalogue, for typo expansion (one edit, 5+ letters)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from catalog_service.db import Base


class SearchTerm(Base):
    __tablename__ = "search_terms"

    term: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    length: Mapped[int] = mapped_column(sa.SmallInteger, nullable=False, index=True)
