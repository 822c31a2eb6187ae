"""Open311 GeoReport v2 documents in JSON or XML, as the spec writes them (pure).

Statuses: GeoReport knows only `open` and `closed`; Hue-S's own status travels in `status_notes`.
Dates carry Vietnam's offset (+07:00), as the spec's examples carry their city's.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from fastapi.responses import Response

from feedback_service.deadlines.calendar import VIETNAM_TIME
from hues_shared.contracts.feedback import ReportStatus

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
CLOSED = {ReportStatus.CLOSED, ReportStatus.REJECTED, ReportStatus.MERGED}
# Element names of list items in XML (the spec's examples).
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def open311_status(status: str) -> str:
    return "closed" if status in CLOSED else "open"


def w3_datetime(value: datetime | None) -> str | None:
    return value.astimezone(VIETNAM_TIME).isoformat(timespec="seconds") if value else None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _xml(name: str, value: Any) -> str:
    if value is None:
        return f"<{name}></{name}>"
    if isinstance(value, Mapping):
        return f"<{name}>" + "".join(_xml(k, v) for k, v in value.items()) + f"</{name}>"
    if isinstance(value, list | tuple):
        item = ITEM_NAMES.get(name, name.rstrip("s"))
        return f"<{name}>" + "".join(_xml(item, v) for v in value) + f"</{name}>"
    if isinstance(value, bool):
        value = "true" if value else "false"
    return f"<{name}>{_escape(str(value))}</{name}>"


def render(fmt: str, root: str, body: Sequence[Any] | Mapping[str, Any], *, status: int = 200) -> Response:
    """`body` as JSON, or as XML under the `root` element."""
    if fmt == "xml":
        text = '<?xml version="1.0" encoding="utf-8"?>' + _xml(root, body)
    else:
        text = json.dumps(body, ensure_ascii=False)
    return Response(text, status_code=status, media_type=FORMATS.get(fmt, FORMATS["json"]))


def error(fmt: str, status: int, description: str) -> Response:
    """The spec's error format: a list of {code, description}."""
    return render(fmt, "errors", [{"code": status, "description": description}], status=status)
