"""API shapes of consent requests, consents and the citizen's export."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from integration_service.applications.manifest import LocalizedText, PersonalDataRequest


class ConsentRequestOut(BaseModel):
    """The consent screen: who asks, for which personal data, and why."""

    application_id: str
    name: LocalizedText
    description: LocalizedText
    scopes: list[str]
    personal_data: list[PersonalDataRequest]
    support_email: str


class ConsentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    application_id: str
    scopes: list[str] = Field(min_length=1, max_length=10)


class ConsentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    application_id: str
    scopes: list[str]
    fields: list[str]
    purpose: str
    granted_at: datetime
    revoked_at: datetime | None
    revoked_by: str | None


class ConsentExportOut(BaseModel):
    """What integration-service holds about the caller (Law 91/2025: access and portability)."""

    account_id: str
    consents: list[ConsentOut]
    exported_at: datetime


class ConsentCheckOut(BaseModel):
    """For a partner: the citizen's active consent to the calling application."""

    account_id: str
    application_id: str
    scopes: list[str]
    fields: list[str]
    purpose: str
    granted_at: datetime
