"""API shapes of second-factor enrollment."""

from pydantic import BaseModel, Field


class TotpEnrollmentOut(BaseModel):
    secret: str
    otpauth_uri: str


class TotpCodeIn(BaseModel):
    code: str = Field(min_length=6, max_length=8)
