"""API shapes of staff accounts and their roles."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

StaffRole = Literal["agency_officer", "agency_admin", "dic_admin", "ioc_operator"]


class StaffCreateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    full_name: str = Field(min_length=1, max_length=200)
    phone: str = Field(max_length=20, description="Login name; the temporary password is sent here")
    email: str | None = Field(default=None, max_length=254)
    role: StaffRole = "agency_officer"


class StaffCreatedOut(BaseModel):
    account_id: str
    unit_id: str
    roles: list[str]
    temporary_password_sent_to: str  # masked phone; the password itself is never shown


class RoleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: StaffRole


class RolesOut(BaseModel):
    account_id: str
    unit_id: str | None
    roles: list[str]
