"""Bodies of the workflow steps (every one refuses unknown fields)."""

from pydantic import BaseModel, ConfigDict, Field


class StepIn(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AcceptIn(StepIn):
    unit_id: str | None = Field(default=None, description="Assign at once; default: the routing rule's unit")
    urgent: bool | None = Field(default=None, description="Confirm or overrule the reporter's urgency claim")


class ReasonIn(StepIn):
    reason: str = Field(min_length=3, max_length=1000)


class AssignIn(StepIn):
    unit_id: str = Field(min_length=1, max_length=36)


class TransferIn(StepIn):
    unit_id: str = Field(min_length=1, max_length=36)
    reason: str = Field(min_length=3, max_length=1000)


class NoteIn(StepIn):
    note: str | None = Field(default=None, max_length=1000, description="Shown on the public timeline")


class ResolveIn(StepIn):
    result: str = Field(min_length=3, max_length=4000, description="What was done; public once published")
