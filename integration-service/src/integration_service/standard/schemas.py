"""API shape of the connection standard."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class ConnectionStandardOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: str
    title: str
    published_at: datetime
    document: dict[str, Any]
