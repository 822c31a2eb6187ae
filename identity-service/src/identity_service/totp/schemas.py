"""API shapes of second-factor enrollment."""

from pydantic import BaseModel, ConfigDict, Field


class TotpEnrollmentOut(BaseModel):
    secret: str
    otpauth_uri: str


class TotpCodeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=6, max_length=8)
