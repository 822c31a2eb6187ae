"""API shapes of an account's notification preferences."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

TOPIC_PATTERN = r"^[a-z][a-z0-9-]{1,39}$"
Channel = Literal["inbox", "push"]
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class MutedChannel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topic: str = Field(pattern=TOPIC_PATTERN)
    channel: Channel


class QuietHours(BaseModel):
    """Hue local time (UTC+7), "HH:MM"; a start later than the end wraps past midnight."""

    model_config = ConfigDict(extra="forbid")

    start: str
    end: str

    @field_validator("start", "end")
    @classmethod
    def _hh_mm(cls, value: str) -> str:
        if not _TIME.match(value):
            raise ValueError("use HH:MM (24-hour clock)")
        return value


class PreferencesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topics: list[str] = Field(default_factory=list, max_length=50, description="Topics the account follows")
    muted: list[MutedChannel] = Field(default_factory=list, max_length=100)
    quiet_hours: QuietHours | None = None

    @field_validator("topics")
    @classmethod
    def _topics(cls, values: list[str]) -> list[str]:
        for value in values:
            if not re.match(TOPIC_PATTERN, value):
                raise ValueError(f"'{value}' is not a topic slug")
        return sorted(set(values))


class PreferencesOut(BaseModel):
    topics: list[str]
    muted: list[MutedChannel]
    quiet_hours: QuietHours | None
    note: str = "Critical warnings (Extreme or Severe, and Immediate) ignore muted channels and quiet hours."
