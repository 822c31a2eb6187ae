"""API shapes of offerings: content, location, opening hours with exceptions, links and images."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

from catalog_service.offerings.models import OfferingKind

HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PUBLIC_SERVICE_PORTAL = "dichvucong.gov.vn"  # the national public-service portal


class IntervalIn(BaseModel):
    """Local Vietnam time; `closes` at or before `opens` is the next day (22:00-02:00; 00:00-00:00 = 24 h)."""

    model_config = ConfigDict(extra="forbid")

    opens: str = Field(pattern=HHMM, examples=["07:30"])
    closes: str = Field(pattern=HHMM, examples=["21:00"])


class OpeningIn(IntervalIn):
    day: Weekday


class HourExceptionIn(BaseModel):
    """A date with other hours (holiday, Tết): closed, or open only in `hours`."""

    model_config = ConfigDict(extra="forbid")

    date: date
    closed: bool = False
    hours: list[IntervalIn] = Field(default_factory=list, max_length=6)
    note: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def closed_or_hours(self) -> Self:
        if self.closed == bool(self.hours):
            raise ValueError("an exception is either closed or gives hours, not both or neither")
        return self


class LinkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(min_length=1, max_length=100)
    url: HttpUrl


class OfferingIn(BaseModel):
    """An offering as its provider's staff write it (Art. 6.4, 6.5)."""

    model_config = ConfigDict(extra="forbid")

    kind: OfferingKind
    category_code: str = Field(min_length=1, max_length=40)
    title: str = Field(min_length=2, max_length=200)
    description: str | None = Field(default=None, max_length=8000)
    procedure_code: str | None = Field(default=None, pattern=r"^[0-9A-Za-z.\-]{3,40}$", examples=["1.001612"])
    portal_url: HttpUrl | None = None
    price_note: str | None = Field(default=None, max_length=500)
    address: str | None = Field(default=None, max_length=300)
    ward_code: str | None = Field(default=None, pattern=r"^\d{5}$")
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    phone: str | None = Field(default=None, min_length=3, max_length=30, pattern=r"^[0-9+() .-]+$")
    email: str | None = Field(default=None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    website: HttpUrl | None = None
    links: list[LinkIn] = Field(default_factory=list, max_length=10)
    images: list[HttpUrl] = Field(default_factory=list, max_length=10)
    opening_hours: list[OpeningIn] = Field(default_factory=list, max_length=42)
    hour_exceptions: list[HourExceptionIn] = Field(default_factory=list, max_length=60)

    @model_validator(mode="after")
    def consistent(self) -> Self:
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("give both latitude and longitude, or neither")
        if self.kind == OfferingKind.PUBLIC_SERVICE:
            if not self.procedure_code or self.portal_url is None:
                raise ValueError("an online public service needs its procedure_code and portal_url")
            host = self.portal_url.host or ""
            if host != PUBLIC_SERVICE_PORTAL and not host.endswith("." + PUBLIC_SERVICE_PORTAL):
                raise ValueError(
                    f"portal_url must be on the national public-service portal ({PUBLIC_SERVICE_PORTAL})"
                )
        if self.kind == OfferingKind.MINI_APP and self.website is None:
            raise ValueError("a mini-app needs its website (the app's address)")
        if len({e.date for e in self.hour_exceptions}) != len(self.hour_exceptions):
            raise ValueError("one exception per date")
        return self


class OfferingUpdateIn(BaseModel):
    """Fields to change; the merged offering must still be valid as a whole."""

    model_config = ConfigDict(extra="forbid")

    category_code: str | None = Field(default=None, min_length=1, max_length=40)
    title: str | None = Field(default=None, min_length=2, max_length=200)
    description: str | None = Field(default=None, max_length=8000)
    procedure_code: str | None = Field(default=None, pattern=r"^[0-9A-Za-z.\-]{3,40}$")
    portal_url: HttpUrl | None = None
    price_note: str | None = Field(default=None, max_length=500)
    address: str | None = Field(default=None, max_length=300)
    ward_code: str | None = Field(default=None, pattern=r"^\d{5}$")
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    phone: str | None = Field(default=None, min_length=3, max_length=30, pattern=r"^[0-9+() .-]+$")
    email: str | None = Field(default=None, max_length=200, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    website: HttpUrl | None = None
    links: list[LinkIn] | None = Field(default=None, max_length=10)
    images: list[HttpUrl] | None = Field(default=None, max_length=10)
    opening_hours: list[OpeningIn] | None = Field(default=None, max_length=42)
    hour_exceptions: list[HourExceptionIn] | None = Field(default=None, max_length=60)


class ProviderBadge(BaseModel):
    id: str
    name: str
    verified: bool


class OfferingOut(BaseModel):
    id: str
    provider: ProviderBadge
    kind: str
    category_code: str
    title: str
    description: str | None
    status: str
    procedure_code: str | None
    portal_url: str | None
    price_note: str | None
    address: str | None
    ward_code: str | None
    latitude: float | None
    longitude: float | None
    phone: str | None
    email: str | None
    website: str | None
    links: list[LinkIn]
    images: list[str]
    opening_hours: list[OpeningIn]
    hour_exceptions: list[HourExceptionIn]
    open_now: bool | None = Field(description="None when no opening hours are given")
    rating_average: float | None
    rating_count: int
    version: int
    created_at: datetime
    updated_at: datetime
