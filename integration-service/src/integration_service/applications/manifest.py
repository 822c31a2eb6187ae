"""The application manifest a partner submits (connection standard v1.1, section 3; Art. 10, 11).

Its JSON Schema is published with the standard (`GET /v1/connection-standard`), so partners validate
before they submit.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import AnyUrl, BaseModel, ConfigDict, Field, field_validator, model_validator

from hues_shared.contracts.integration import PARTNER_SCOPES


class ApplicationKind(StrEnum):
    MINI_APP = "mini_app"  # a web app opened inside Hue-S
    PARTNER_API = "partner_api"  # the partner exposes an API Hue-S calls
    DATA_FEED = "data_feed"  # the partner feeds data into the catalogue
    WEBHOOK_CONSUMER = "webhook_consumer"  # the partner receives Hue-S events


class Environment(StrEnum):
    SANDBOX = "sandbox"
    PRODUCTION = "production"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LocalizedText(_Strict):
    vi: str = Field(min_length=1, max_length=2000, description="Vietnamese (tiếng Việt)")
    en: str = Field(min_length=1, max_length=2000, description="English")


class PersonalDataRequest(_Strict):
    """One personal-data field and why it is needed (Law 91/2025: purpose stated, consent per scope)."""

    field: str = Field(pattern=r"^[a-z][a-z0-9_.]{1,63}$", examples=["citizen.phone"])
    purpose: str = Field(min_length=10, max_length=500)


class SupportContact(_Strict):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)
    phone: str | None = Field(default=None, pattern=r"^\+?[0-9 ]{8,20}$")
    hours: str | None = Field(default=None, max_length=200, examples=["Mon-Fri 08:00-17:00 ICT"])


class Manifest(_Strict):
    """What the application is, what it asks for, and where it lives."""

    name: LocalizedText
    description: LocalizedText
    kind: ApplicationKind
    category: str = Field(min_length=1, max_length=80, examples=["transport"])
    requested_scopes: list[str] = Field(min_length=1, max_length=20)
    personal_data: list[PersonalDataRequest] = Field(default_factory=list, max_length=50)
    mini_app_url: AnyUrl | None = None
    callback_urls: list[AnyUrl] = Field(default_factory=list, max_length=10)
    webhook_url: AnyUrl | None = None
    health_url: AnyUrl
    openapi_url: AnyUrl | None = None
    support: SupportContact
    environment: Environment = Environment.SANDBOX

    @field_validator("requested_scopes")
    @classmethod
    def _known_scopes(cls, scopes: list[str]) -> list[str]:
        unknown = sorted(set(scopes) - PARTNER_SCOPES.keys())
        if unknown:
            raise ValueError(f"unknown scopes {unknown}; the standard lists {sorted(PARTNER_SCOPES)}")
        return sorted(set(scopes))

    @model_validator(mode="after")
    def _kind_needs_its_url(self) -> Manifest:
        if self.kind is ApplicationKind.PARTNER_API and self.openapi_url is None:
            raise ValueError("a partner_api application needs openapi_url")
        if self.kind is ApplicationKind.MINI_APP and self.mini_app_url is None:
            raise ValueError("a mini_app application needs mini_app_url")
        if self.kind is ApplicationKind.WEBHOOK_CONSUMER and self.webhook_url is None:
            raise ValueError("a webhook_consumer application needs webhook_url")
        return self

    def urls(self) -> dict[str, str]:
        """Every URL of the manifest by its field name (checked by the conformance rules)."""
        found: dict[str, str] = {}
        for name in ("mini_app_url", "webhook_url", "health_url", "openapi_url"):
            value = getattr(self, name)
            if value is not None:
                found[name] = str(value)
        for index, url in enumerate(self.callback_urls):
            found[f"callback_urls[{index}]"] = str(url)
        return found
