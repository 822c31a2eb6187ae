"""API shapes of providers."""

from __future__ import annotations

from datetime import datetime
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

from catalog_service.providers.models import ProviderKind

Phone = Field(default=None, min_length=3, max_length=30, pattern=r"^[0-9+() .-]+$")


class ProviderProfileIn(BaseModel):
    """What the provider's own staff edit."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=2, max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    phone: str | None = Phone
    email: str | None = Field(default=None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    website: HttpUrl | None = None
    logo_url: HttpUrl | None = None


class ProviderCreateIn(ProviderProfileIn):
    """The DIC creates agency providers (and enterprise ones, when not from an integration)."""

    name: str = Field(min_length=2, max_length=200)
    kind: ProviderKind
    unit_id: str | None = Field(default=None, min_length=1, max_length=36)
    owner_account_id: str | None = Field(default=None, min_length=1, max_length=36)
    verified: bool = False

    @model_validator(mode="after")
    def owner_matches_kind(self) -> Self:
        if self.kind == ProviderKind.AGENCY and not self.unit_id:
            raise ValueError("an agency provider needs the unit_id of its agency")
        if self.kind != ProviderKind.AGENCY and not self.owner_account_id:
            raise ValueError("an enterprise or organization provider needs its owner_account_id")
        return self


class VerificationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    verified: bool


class SuspensionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=3, max_length=500)


class ProviderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    kind: str
    description: str | None
    unit_id: str | None
    owner_account_id: str | None
    integration_id: str | None
    verified: bool
    status: str
    phone: str | None
    email: str | None
    website: str | None
    logo_url: str | None
    version: int
    created_at: datetime
    updated_at: datetime
