"""Bodies of the reporter's rating and reopening."""

from pydantic import BaseModel, ConfigDict, Field


class RatingIn(BaseModel):
    """Satisfaction with the outcome (Art. 16.3)."""

    model_config = ConfigDict(extra="forbid")

    satisfied: bool
    score: int = Field(ge=1, le=5)
    comment: str | None = Field(default=None, max_length=2000)


class ReopenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=3, max_length=1000)
