"""API shapes of offering categories."""

from typing import Literal

from pydantic import BaseModel

OfferingKind = Literal["goods", "service", "public-service", "mini-app"]


class OfferingCategoryOut(BaseModel):
    code: str
    kind: OfferingKind
    name: str
    essential: bool
    parent_code: str | None = None
