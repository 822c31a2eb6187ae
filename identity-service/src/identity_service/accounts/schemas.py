"""API shapes of registration and of an account as its owner or an administrator sees it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from identity_service.accounts.identifiers import DocumentType, Sex

Channel = Literal["sms", "email"]


class IdentityDocumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: DocumentType
    number: str = Field(min_length=6, max_length=20, examples=["046085001234"])
    issuing_country: str = Field(default="VN", min_length=2, max_length=2, description="Passports only")


class CitizenRegistrationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    full_name: str = Field(min_length=1, max_length=200)
    birth_date: date
    sex: Sex
    phone: str = Field(max_length=20, examples=["0905123456"])
    email: str | None = Field(default=None, max_length=254)
    home_ward_code: str | None = Field(
        default=None, max_length=5, description="A code from GET /v1/identity/wards"
    )
    document: IdentityDocumentIn
    password: str = Field(max_length=1024)
    verification_channel: Channel = "sms"


class OrganizationRegistrationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    organization_kind: Literal["enterprise", "other"]
    tax_code: str = Field(max_length=20, examples=["0100109106", "0100109106-001"])
    representative_name: str = Field(min_length=1, max_length=200)
    phone: str = Field(max_length=20)
    email: str | None = Field(default=None, max_length=254)
    password: str = Field(max_length=1024)
    verification_channel: Channel = "sms"


class VerificationSentOut(BaseModel):
    channel: Channel
    destination: str  # masked
    expires_at: datetime


class RegistrationOut(BaseModel):
    account_id: str
    status: str
    verification: VerificationSentOut


class DocumentOut(BaseModel):
    type: str
    number: str


class AccountOut(BaseModel):
    """Personal data in full only for the owner; masked for everyone else (Law 91/2025, Art. 13.2)."""

    id: str
    kind: str
    status: str
    display_name: str
    birth_date: date | None = None
    sex: str | None = None
    home_ward_code: str | None = None
    document: DocumentOut | None = None
    phone: str | None = None
    email: str | None = None
    organization_kind: str | None = None
    tax_code: str | None = None
    representative_name: str | None = None
    unit_id: str | None = None
    roles: list[str] = Field(default_factory=list)
    permissions: list[str] = Field(default_factory=list)
    totp_enabled: bool = False
    password_expires_at: datetime | None = None
    password_must_change: bool = False
    created_at: datetime
    verified_at: datetime | None = None
