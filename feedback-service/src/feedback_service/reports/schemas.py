"""API shapes of reports: what a reporter submits, what staff and the reporter read, what the public reads."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hues_shared.geography import inside_hue

MAX_DESCRIPTION = 4000


class ReportIn(BaseModel):
    """A citizen's report (Art. 6.3)."""

    model_config = ConfigDict(extra="forbid")

    category_code: str = Field(min_length=1, max_length=40, examples=["roads-traffic"])
    title: str = Field(min_length=3, max_length=200, examples=["Ổ gà trên đường Lê Lợi"])
    description: str = Field(min_length=1, max_length=MAX_DESCRIPTION)
    latitude: float = Field(ge=-90, le=90, examples=[16.4637])
    longitude: float = Field(ge=-180, le=180, examples=[107.5909])
    address: str = Field(min_length=1, max_length=300, examples=["12 Lê Lợi, Phú Xuân"])
    ward_code: str = Field(pattern=r"^\d{5}$", examples=["19768"], description="From GET /v1/identity/wards")
    is_public: bool = Field(default=True, description="Shown on the public feed once handled")
    urgent: bool = Field(default=False, description="The reporter's urgency claim")

    @model_validator(mode="after")
    def _inside_hue(self) -> ReportIn:
        if not inside_hue(self.latitude, self.longitude):
            raise ValueError("the location must lie inside Thừa Thiên Huế (Hue city)")
        return self


class TimelineEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    status: str
    step: str
    note: str | None
    unit_name: str | None
    at: datetime


class ReportOut(BaseModel):
    """The report as its reporter, the IOC and the handling unit see it (reporter only as a pseudonym)."""

    id: str
    category_code: str
    title: str
    description: str
    latitude: float
    longitude: float
    address: str
    ward_code: str
    is_public: bool
    urgency_claimed: bool
    urgent: bool
    status: str
    unit_id: str | None
    unit_name: str | None
    suggested_unit_id: str | None
    reporter_pseudonym: str
    submitted_at: datetime
    updated_at: datetime
    due_at: datetime | None
    deadline_stage: str | None
    overdue: bool
    result: str | None
    rejection_reason: str | None
    rating_satisfied: bool | None
    rating_score: int | None
    reopen_count: int
    merged_into_id: str | None
    version: int = Field(description="Changes with every step; the ETag is built from it")
    timeline: list[TimelineEntryOut] = Field(default_factory=list)


class ReportSummaryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    category_code: str
    title: str
    ward_code: str
    status: str
    urgent: bool
    unit_id: str | None
    submitted_at: datetime
    due_at: datetime | None
    overdue: bool


class ReporterOut(BaseModel):
    """The reporter behind a pseudonym: for the IOC only, and every look is audited."""

    report_id: str
    reporter_account_id: str
    reporter_pseudonym: str


class ReporterLookupOut(BaseModel):
    """One audited look at a reporter's identity."""

    model_config = ConfigDict(from_attributes=True)

    report_id: str
    actor_account_id: str
    reason: str
    at: datetime
