"""API shapes of push device registrations."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class DeviceIn(BaseModel):
    """Registering the same token again updates it (the token belongs to the last account registering it)."""

    model_config = ConfigDict(extra="forbid")

    platform: Literal["android", "ios", "web"]
    token: str = Field(min_length=8, max_length=512, description="The FCM registration token")
    locale: Literal["vi", "en"] = "vi"
    app_version: str = Field(min_length=1, max_length=40)
    share_location: bool = Field(
        default=False, description="Opt in: warnings for the device's last known location reach it too"
    )


class LocationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)


class DeviceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    platform: str
    locale: str
    app_version: str
    share_location: bool
    located_at: datetime | None
    created_at: datetime
    updated_at: datetime
