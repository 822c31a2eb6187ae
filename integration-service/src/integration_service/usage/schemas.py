"""API shape of daily usage."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict


class DailyUsageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    application_id: str
    day: date
    route: str
    requests: int
