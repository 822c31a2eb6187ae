"""API shape of a ward or commune."""

from pydantic import BaseModel, ConfigDict


class WardOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    division_type: str
