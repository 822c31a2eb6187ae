"""API shapes of the working calendar's overrides."""

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class CalendarOverrideIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["holiday", "working_day"]
    name: str = Field(min_length=1, max_length=200, examples=["Nghỉ bù Quốc khánh"])


class CalendarOverrideOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    day: date
    kind: str
    name: str
