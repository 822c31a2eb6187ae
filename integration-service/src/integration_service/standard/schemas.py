"""API shape of the connection standard, with the JSON Schemas partners validate against."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ConnectionStandardOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: str
    title: str
    published_at: datetime
    document: dict[str, Any]
    schemas: dict[str, Any] = Field(
        default_factory=dict,
        description="JSON Schemas (2020-12) of the application manifest and of every webhook payload "
        "(the version in force only)",
    )
