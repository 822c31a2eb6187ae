"""API shapes of report media (URLs are signed and expire within minutes)."""

from pydantic import BaseModel


class MediaOut(BaseModel):
    id: str
    purpose: str
    kind: str
    content_type: str
    width: int | None
    height: int | None
    duration_seconds: float | None
    url: str
    thumbnail_url: str | None
