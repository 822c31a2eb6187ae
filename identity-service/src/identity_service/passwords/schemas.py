"""API shape of a password change."""

from pydantic import BaseModel, ConfigDict, Field


class PasswordChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(max_length=1024)
    new_password: str = Field(max_length=1024)
