"""API shapes of extension requests."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class ExtensionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hours: int = Field(ge=1, le=400, description="More working hours asked for")
    reason: str = Field(min_length=3, max_length=1000)


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(default=None, max_length=1000)


class ExtensionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    report_id: str
    unit_id: str
    hours: int
    reason: str
    status: str
    requested_at: datetime
    decided_at: datetime | None
