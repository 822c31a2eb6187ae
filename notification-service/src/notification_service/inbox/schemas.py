"""API shapes of the in-app inbox: one feed of broadcast notices, warnings and personal messages."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

ItemKind = Literal["notice", "alert", "message"]
ItemState = Literal["unread", "read", "archived", "all"]


class InboxItemOut(BaseModel):
    id: str
    kind: ItemKind
    type: str  # "notice" / CAP msgType for warnings / the personal message's kind ("welcome", ...)
    title: str
    body: str
    instruction: str | None = None
    topic: str | None = None
    severity: str | None = None
    urgency: str | None = None
    critical: bool = False
    status: str | None = None  # notices: published | superseded | cancelled | expired
    links: list[str] = []
    created_at: datetime
    expires_at: datetime | None = None
    read_at: datetime | None
    archived_at: datetime | None


class InboxItemStateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    read: bool | None = None
    archived: bool | None = None


class UnreadCountOut(BaseModel):
    unread: int
