"""API shapes of account administration by the DIC."""

from pydantic import BaseModel, ConfigDict, Field


class LockIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=3, max_length=300)


class CloseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=3, max_length=300)
