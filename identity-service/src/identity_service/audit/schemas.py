"""API shape of an audit log entry."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class AuditEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    occurred_at: datetime
    action: str
    outcome: str
    actor_account_id: str | None
    subject_account_id: str | None
    client_address: str | None
    details: dict[str, Any]
