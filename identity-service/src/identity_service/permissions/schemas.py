"""API shapes of the permission catalogue and grants."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class FunctionPermissionOut(BaseModel):
    code: str
    service: str
    description: str
    holders: list[str] | None = Field(
        default=None, description="Account kinds that may hold it (citizen, organization, staff); null: any"
    )


class GrantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    permission: str = Field(max_length=100, examples=["feedback.report.process"])
    unit_id: str | None = Field(
        default=None, description="Limit the grant to one unit; empty means account-wide"
    )


class GrantOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    account_id: str
    permission: str
    unit_id: str | None
    granted_by: str
    granted_at: datetime
