"""API shape of a password change."""

from pydantic import BaseModel, Field


class PasswordChangeIn(BaseModel):
    current_password: str = Field(max_length=1024)
    new_password: str = Field(max_length=1024)
