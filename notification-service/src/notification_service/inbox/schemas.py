"""API shapes of the in-app inbox."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class InboxMessageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    kind: str
    title: str
    body: str
    created_at: datetime
    read_at: datetime | None
