"""API shapes of account administration by the DIC."""

from pydantic import BaseModel, Field


class LockIn(BaseModel):
    reason: str = Field(min_length=3, max_length=300)


class CloseIn(BaseModel):
    reason: str = Field(min_length=3, max_length=300)
