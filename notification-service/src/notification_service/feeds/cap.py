"""CAP 1.2 XML (OASIS Common Alerting Protocol) for one warning: one <info> per language."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # building only (no parsing of untrusted input here)
from datetime import datetime, timedelta, timezone

from notification_service.notices.models import Notice
from notification_service.notices.service import cap_identifier

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
HUE_TIME = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")
LANGUAGES = {"vi": "vi-VN", "en": "en-US"}
WARD_GEOCODE = "VN-WARD"  # identity's ward codes (General Statistics Office, 5 digits)


def cap_time(value: datetime) -> str:
    """CAP's dateTime: seconds precision and an explicit offset, never "Z" (CAP 1.2, 3.3.2)."""
    return value.astimezone(HUE_TIME).replace(microsecond=0).isoformat()


def cap_reference(notice: Notice, *, sender: str) -> str:
    """ "sender,identifier,sent" of an earlier message (CAP 1.2 <references>)."""
    assert notice.published_at is not None
    return f"{sender},{cap_identifier(notice)},{cap_time(notice.published_at)}"


def _add(parent: ET.Element, tag: str, text: str | None) -> None:
    if text:
        ET.SubElement(parent, f"{{{CAP_NS}}}{tag}").text = text


def _area(info: ET.Element, notice: Notice) -> None:
    target = notice.target
    area = ET.SubElement(info, f"{{{CAP_NS}}}area")
    _add(area, "areaDesc", notice.area_desc or ("Thành phố Huế" if target.get("everyone") else "Huế"))
    for polygon in target.get("polygons", []):
        _add(area, "polygon", " ".join(f"{lat},{lon}" for lat, lon in polygon))
    for circle in target.get("circles", []):
        _add(area, "circle", f"{circle['latitude']},{circle['longitude']} {circle['radius_km']}")
    for ward in target.get("ward_codes", []):
        geocode = ET.SubElement(area, f"{{{CAP_NS}}}geocode")
        _add(geocode, "valueName", WARD_GEOCODE)
        _add(geocode, "value", ward)


def _info(alert: ET.Element, notice: Notice, language: str) -> None:
    english = language == "en"
    info = ET.SubElement(alert, f"{{{CAP_NS}}}info")
    _add(info, "language", LANGUAGES[language])
    _add(info, "category", notice.category or "Other")
    _add(info, "event", notice.event)
    for response_type in notice.response_types:
        _add(info, "responseType", response_type)
    _add(info, "urgency", notice.urgency)
    _add(info, "severity", notice.severity)
    _add(info, "certainty", notice.certainty)
    if notice.onset_at:
        _add(info, "onset", cap_time(notice.onset_at))
    if notice.expires_at:
        _add(info, "expires", cap_time(notice.expires_at))
    _add(info, "senderName", notice.sender_name)
    _add(info, "headline", notice.title_en if english else notice.title_vi)
    _add(info, "description", notice.body_en if english else notice.body_vi)
    _add(info, "instruction", notice.instruction_en if english else notice.instruction_vi)
    if notice.links:
        _add(info, "web", notice.links[0])
    _area(info, notice)


def to_cap_xml(notice: Notice, *, sender: str, references: Notice | None) -> bytes:
    """The warning as a CAP 1.2 <alert>; Update/Cancel carry <references> to the earlier one."""
    assert notice.published_at is not None
    ET.register_namespace("", CAP_NS)
    alert = ET.Element(f"{{{CAP_NS}}}alert")
    _add(alert, "identifier", cap_identifier(notice))
    _add(alert, "sender", sender)
    _add(alert, "sent", cap_time(notice.published_at))
    _add(alert, "status", "Actual")
    _add(alert, "msgType", notice.msg_type)
    _add(alert, "scope", "Public")
    if references is not None:
        _add(alert, "references", cap_reference(references, sender=sender))
    _info(alert, notice, "vi")
    if notice.title_en and notice.body_en:
        _info(alert, notice, "en")
    return bytes(ET.tostring(alert, encoding="utf-8", xml_declaration=True))
