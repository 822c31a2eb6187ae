"""API shapes of account verification by one-time code."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from identity_service.accounts.schemas import Channel


class VerifyAccountIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account_id: str = Field(max_length=36)
    code: str = Field(min_length=4, max_length=10)


class ResendCodeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account_id: str = Field(max_length=36)
    channel: Channel = "sms"


class VerifiedOut(BaseModel):
    account_id: str
    status: str
    verified_at: datetime


class DevMessageOut(BaseModel):
    channel: str
    destination: str
    text: str
    sent_at: datetime
