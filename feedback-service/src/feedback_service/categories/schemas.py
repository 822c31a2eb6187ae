"""API shapes of report categories and routing rules."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class ReportCategoryOut(BaseModel):
    code: str
    name: str
    group: str
    handling_days: int
    acceptance_hours: int = Field(description="Working hours the IOC has to accept or reject")
    handling_hours: int = Field(description="Working hours the unit has to resolve, from assignment")
    urgent_handling_hours: int = Field(description="Working hours for an urgent report")
    urgency_allowed: bool


class ReportCategoryUpdateIn(BaseModel):
    """What the IOC may change on a category (Art. 12.2 deadlines, urgency policy)."""

    model_config = ConfigDict(extra="forbid")

    name_vi: str | None = Field(default=None, min_length=1, max_length=200)
    name_en: str | None = Field(default=None, min_length=1, max_length=200)
    acceptance_hours: int | None = Field(default=None, ge=1, le=400)
    handling_hours: int | None = Field(default=None, ge=1, le=2000)
    urgent_handling_hours: int | None = Field(default=None, ge=1, le=400)
    urgency_allowed: bool | None = None
    active: bool | None = None


class RoutingRuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ward_code: str | None = Field(default=None, pattern=r"^\d{5}$", description="None: the whole city")
    target: Literal["unit", "ward_committee"] = Field(
        default="unit", description="unit: `unit_id`; ward_committee: the report's ward's People's Committee"
    )
    unit_id: str | None = Field(default=None, min_length=1, max_length=36)

    @model_validator(mode="after")
    def _unit_when_targeted(self) -> "RoutingRuleIn":
        if (self.target == "unit") != (self.unit_id is not None):
            raise ValueError("unit_id is given exactly when target is 'unit'")
        return self


class RoutingRuleOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    category_code: str
    ward_code: str | None
    target: str
    unit_id: str | None
