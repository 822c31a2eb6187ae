"""API shapes of duplicate suggestions and merges."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class DuplicateOut(BaseModel):
    """A nearby recent report of the same category (no personal data)."""

    id: str
    title: str
    status: str
    distance_metres: float
    submitted_at: datetime


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    into_report_id: str = Field(min_length=1, max_length=36)
