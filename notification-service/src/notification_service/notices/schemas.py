"""API shapes of notices and CAP 1.2 warnings."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, HttpUrl, model_validator

from hues_shared.auth.principal import Role
from notification_service.preferences.schemas import TOPIC_PATTERN

Category = Literal[
    "Geo",
    "Met",
    "Safety",
    "Security",
    "Rescue",
    "Fire",
    "Health",
    "Env",
    "Transport",
    "Infra",
    "CBRNE",
    "Other",
]
Urgency = Literal["Immediate", "Expected", "Future", "Past", "Unknown"]
Severity = Literal["Extreme", "Severe", "Moderate", "Minor", "Unknown"]
Certainty = Literal["Observed", "Likely", "Possible", "Unlikely", "Unknown"]
ResponseType = Literal[
    "Shelter", "Evacuate", "Prepare", "Execute", "Avoid", "Monitor", "Assess", "AllClear", "None"
]
MsgType = Literal["Alert", "Update", "Cancel"]
_TOPIC = re.compile(TOPIC_PATTERN)


class Localized(BaseModel):
    """Vietnamese is required; English is shown to accounts that chose English (else Vietnamese)."""

    model_config = ConfigDict(extra="forbid")

    vi: str = Field(min_length=1, max_length=4000)
    en: str | None = Field(default=None, min_length=1, max_length=4000)


class ShortLocalized(Localized):
    vi: str = Field(min_length=1, max_length=200)
    en: str | None = Field(default=None, min_length=1, max_length=200)


class Circle(BaseModel):
    model_config = ConfigDict(extra="forbid")

    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    radius_km: float = Field(gt=0, le=500)


class Target(BaseModel):
    """Who receives it: the union of everything given (at least one)."""

    model_config = ConfigDict(extra="forbid")

    everyone: bool = False
    ward_codes: list[str] = Field(default_factory=list, max_length=60, description="identity's ward codes")
    polygons: list[list[tuple[float, float]]] = Field(
        default_factory=list, max_length=10, description="CAP polygons: closed rings of [lat, lon] (WGS 84)"
    )
    circles: list[Circle] = Field(default_factory=list, max_length=10)
    roles: list[Role] = Field(default_factory=list, max_length=10)
    topics: list[str] = Field(default_factory=list, max_length=20)
    account_ids: list[str] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def _check(self) -> Target:
        if not (
            self.everyone
            or self.ward_codes
            or self.polygons
            or self.circles
            or self.roles
            or self.topics
            or self.account_ids
        ):
            raise ValueError(
                "give at least one audience (everyone, wards, area, roles, topics or an account)"
            )
        for code in self.ward_codes:
            if not (len(code) == 5 and code.isdigit()):
                raise ValueError(f"ward code '{code}' is not 5 digits")
        for polygon in self.polygons:
            if len(polygon) < 4 or polygon[0] != polygon[-1]:
                raise ValueError("a CAP polygon needs 4 or more points, the first equal to the last")
            for lat, lon in polygon:
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise ValueError("polygon points are [latitude, longitude] in degrees")
        for topic in self.topics:
            if not _TOPIC.match(topic):
                raise ValueError(f"'{topic}' is not a topic slug")
        return self


class NoticeIn(BaseModel):
    """A notice from a state agency (Art. 6.2)."""

    model_config = ConfigDict(extra="forbid")

    unit_id: str | None = Field(default=None, description="The publishing unit; default: the caller's unit")
    topic: str = Field(pattern=TOPIC_PATTERN)
    title: ShortLocalized
    body: Localized
    links: list[HttpUrl] = Field(default_factory=list, max_length=10)
    images: list[HttpUrl] = Field(default_factory=list, max_length=10)
    target: Target


class AlertIn(BaseModel):
    """A warning with the CAP 1.2 <info> fields; Update/Cancel name the warning they replace."""

    model_config = ConfigDict(extra="forbid")

    unit_id: str | None = None
    msg_type: MsgType = "Alert"
    references_notice_id: str | None = None
    topic: str = Field(pattern=TOPIC_PATTERN)
    category: Category
    event: str = Field(min_length=1, max_length=100)
    urgency: Urgency
    severity: Severity
    certainty: Certainty
    response_types: list[ResponseType] = Field(default_factory=list, max_length=9)
    onset_at: AwareDatetime | None = None
    expires_at: AwareDatetime
    headline: ShortLocalized
    description: Localized
    instruction: Localized | None = None
    sender_name: str = Field(min_length=1, max_length=200)
    area_desc: str = Field(min_length=1, max_length=500)
    links: list[HttpUrl] = Field(default_factory=list, max_length=10)
    target: Target | None = Field(
        default=None, description="Required for Alert; Update/Cancel default to the earlier one's"
    )

    @model_validator(mode="after")
    def _check(self) -> AlertIn:
        if self.msg_type == "Alert" and self.references_notice_id:
            raise ValueError("an Alert references nothing; use Update or Cancel")
        if self.msg_type != "Alert" and not self.references_notice_id:
            raise ValueError("Update and Cancel must give references_notice_id (the earlier warning)")
        if self.msg_type == "Alert" and self.target is None:
            raise ValueError("an Alert needs a target")
        if self.onset_at and self.onset_at >= self.expires_at:
            raise ValueError("expires_at must be after onset_at")
        return self


class NoticeOut(BaseModel):
    id: str
    kind: str
    status: str  # draft | published | superseded | cancelled | expired
    cap_identifier: str
    unit_id: str | None
    author_id: str
    approved_by: str | None
    needs_second_approval: bool
    topic: str
    title: ShortLocalized
    body: Localized
    links: list[str]
    images: list[str]
    target: dict[str, Any]
    msg_type: str
    references_notice_id: str | None
    category: str | None
    event: str | None
    urgency: str | None
    severity: str | None
    certainty: str | None
    response_types: list[str]
    instruction: Localized | None
    sender_name: str | None
    area_desc: str | None
    onset_at: datetime | None
    expires_at: datetime | None
    critical: bool
    created_at: datetime
    published_at: datetime | None
    superseded_by_id: str | None


class NoticeStatistics(BaseModel):
    """Delivery statistics of one notice (issue 10), for its author and the DIC."""

    notice_id: str
    targeted: int = Field(description="Accounts in the audience when it was published")
    pushed: int = Field(description="Pushes handed to the provider")
    accepted: int = Field(description="Pushes the provider accepted")
    invalid_tokens: int
    skipped: int = Field(description="Pushes not sent: the topic's push channel turned off")
    deferred: int = Field(description="Pushes held until the account's quiet hours end")
    opened: int = Field(description="Accounts that opened it in the inbox")
