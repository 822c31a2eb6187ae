"""API shapes of reviews, replies, abuse reports and moderation."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rating: int = Field(ge=1, le=5)
    text: str | None = Field(default=None, max_length=2000)


class ReplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=2000)


class AbuseReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=3, max_length=500)


class ModerationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    visible: bool
    reason: str = Field(min_length=3, max_length=500)


class ReviewOut(BaseModel):
    id: str
    offering_id: str
    rating: int
    text: str | None
    visible: bool
    reply_text: str | None
    replied_at: datetime | None
    mine: bool = False
    created_at: datetime
    updated_at: datetime


class AbuseReportOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    review_id: str
    reason: str
    created_at: datetime
    resolved_at: datetime | None
