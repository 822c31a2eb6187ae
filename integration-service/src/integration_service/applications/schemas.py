"""API shapes of applications, decisions, history and conformance reports."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from integration_service.applications.manifest import Manifest


class ApplicationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    owner_kind: str
    owner_id: str
    status: str
    name: str
    manifest: Manifest
    sandbox_approved: bool
    production_approved: bool
    version: int
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None


class DecisionIn(BaseModel):
    """A DIC reviewer's decision; a comment is required to request changes, reject or suspend."""

    model_config = ConfigDict(extra="forbid")

    decision: Literal["request_changes", "approve", "approve_production", "reject", "suspend", "reinstate"]
    comment: str | None = Field(default=None, max_length=4000)


class RetireIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: str | None = Field(default=None, max_length=4000)


class WebhookSecretOut(BaseModel):
    """Shown once: store it; Hue-S keeps it sealed and cannot show it again."""

    secret: str


class ReviewOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    action: str
    from_status: str | None
    to_status: str
    actor_id: str
    comment: str | None
    at: datetime


class ConformanceResult(BaseModel):
    rule: str  # e.g. manifest.schema, url.public, health.answers (the standard's rule names)
    target: str | None = None
    passed: bool
    detail: str


class ConformanceReportOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    application_id: str
    application_version: int
    passed: bool
    results: list[ConformanceResult]
    checked_at: datetime


def manifest_json_schema() -> dict[str, Any]:
    return Manifest.model_json_schema()
