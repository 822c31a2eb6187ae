"""The public Atom feed of current warnings: the index national alerting and media poll."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # building only
from collections.abc import Sequence
from datetime import datetime

from notification_service.feeds.cap import cap_time
from notification_service.notices.models import Notice
from notification_service.notices.service import cap_identifier

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_ID = "urn:uuid:6f1d3a52-3c1e-4d5e-9a51-7a3b0f0a4c61"  # stable across deployments of Hue-S


def _el(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def to_atom(alerts: Sequence[Notice], *, base_url: str, sender: str, now: datetime) -> bytes:
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _el(feed, "id", FEED_ID)
    _el(feed, "title", "Hue-S: cảnh báo hiện hành / current warnings")
    updated = max((a.published_at for a in alerts if a.published_at), default=now)
    _el(feed, "updated", cap_time(updated))
    _el(_el(feed, "author"), "name", sender)
    _el(feed, "link", rel="self", type="application/atom+xml", href=f"{base_url}/alerts.atom")
    for alert in alerts:
        assert alert.published_at is not None
        entry = _el(feed, "entry")
        _el(entry, "id", cap_identifier(alert))
        _el(entry, "title", alert.title_vi)
        _el(entry, "published", cap_time(alert.published_at))
        _el(entry, "updated", cap_time(alert.published_at))
        _el(entry, "summary", alert.body_vi)
        for term in filter(None, (alert.msg_type, alert.severity, alert.urgency, alert.category)):
            _el(entry, "category", term=term)
        _el(
            entry,
            "link",
            rel="alternate",
            type="application/cap+xml",
            href=f"{base_url}/alerts/{alert.id}.xml",
        )
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))
