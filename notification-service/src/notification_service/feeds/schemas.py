"""JSON shape of a current warning for the app and other systems."""

from datetime import datetime

from pydantic import BaseModel

from notification_service.notices.schemas import Localized, ShortLocalized


class CurrentAlertOut(BaseModel):
    id: str
    cap_identifier: str
    msg_type: str
    references_notice_id: str | None
    category: str | None
    event: str | None
    urgency: str | None
    severity: str | None
    certainty: str | None
    response_types: list[str]
    headline: ShortLocalized
    description: Localized
    instruction: Localized | None
    sender_name: str | None
    area_desc: str | None
    ward_codes: list[str]
    polygons: list[list[tuple[float, float]]]
    circles: list[dict[str, float]]
    onset_at: datetime | None
    expires_at: datetime | None
    published_at: datetime
    cap_url: str
