"""API shapes of units."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from identity_service.units.models import UnitKind


class UnitCreateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=2, max_length=40, pattern=r"^[A-Za-z0-9._-]+$", examples=["SO-TTTT"])
    name: str = Field(min_length=1, max_length=200)
    kind: UnitKind
    ward_code: str | None = Field(default=None, max_length=5)
    parent_unit_id: str | None = None


class UnitUpdateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    kind: UnitKind | None = None
    active: bool | None = None


class UnitOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    code: str
    name: str
    kind: str
    ward_code: str | None
    parent_unit_id: str | None
    active: bool
    created_at: datetime
    updated_at: datetime
