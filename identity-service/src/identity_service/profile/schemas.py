"""API shapes of the caller's own account: profile changes and the personal-data export."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from identity_service.accounts.schemas import AccountOut
from identity_service.audit.schemas import AuditEventOut
from identity_service.permissions.schemas import GrantOut


class ProfileUpdateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str | None = Field(default=None, max_length=254)
    home_ward_code: str | None = Field(default=None, max_length=5)
    representative_name: str | None = Field(default=None, min_length=1, max_length=200)


class ConfirmationIn(BaseModel):
    """The holder's fresh confirmation for closing the account or exporting its data (issue 7, item 14)."""

    model_config = ConfigDict(extra="forbid")

    password: str = Field(min_length=1, max_length=1024)
    totp: str | None = Field(
        default=None, min_length=6, max_length=8, description="When a second factor is on"
    )


class SessionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime
    client_address: str | None
    user_agent: str | None
    revoked_at: datetime | None
    revoked_reason: str | None


class PersonalDataExport(BaseModel):
    """Everything identity-service holds about the caller (Law 91/2025: access and portability)."""

    exported_at: datetime
    account: AccountOut
    sessions: list[SessionOut]
    permission_grants: list[GrantOut]
    password_changed_on: list[datetime]
    audit_events: list[AuditEventOut]
