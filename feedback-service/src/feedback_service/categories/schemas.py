"""API shapes of report categories."""

from pydantic import BaseModel


class ReportCategoryOut(BaseModel):
    code: str
    name: str
    group: str
    handling_days: int
