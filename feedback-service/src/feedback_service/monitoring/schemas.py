"""Public shapes: published reports without personal data, and per-unit statistics (Art. 6.3)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from feedback_service.reports.schemas import TimelineEntryOut


class PublicReportOut(BaseModel):
    """A published public report: what, where, who handled it, the outcome; never who reported."""

    id: str
    category_code: str
    title: str
    description: str
    latitude: float
    longitude: float
    address: str
    ward_code: str
    status: str
    unit_name: str | None
    submitted_at: datetime
    published_at: datetime | None
    result: str | None
    rating_satisfied: bool | None
    timeline: list[TimelineEntryOut]


class MapPointOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    category_code: str
    status: str
    latitude: float
    longitude: float


class UnitStatisticsOut(BaseModel):
    unit_id: str
    unit_name: str | None
    received: int
    accepted: int
    handled: int
    handled_on_time: int
    on_time_rate: float | None
    average_handling_hours: float | None
    rated: int
    satisfied: int
    satisfaction_rate: float | None
