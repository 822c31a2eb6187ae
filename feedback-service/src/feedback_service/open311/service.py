"""Open311 GeoReport v2 over the reports: services are the categories, requests the public reports.

A public report is listed from its submission (status open/closed only); its description and agency
show once published (Art. 6.3: the reporter chose public, the IOC reviewed it). Requests posted here
come from partner applications identified by their api_key (integration-service's credentials once it
issues them; configured keys until then).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from feedback_service.categories import repository as categories_repository
from feedback_service.open311 import repository
from feedback_service.open311.formats import open311_status, w3_datetime
from feedback_service.reports import service as reports
from feedback_service.reports.models import Report
from feedback_service.reports.schemas import ReportIn
from feedback_service.units import service as units
from hues_shared.auth.principal import Principal
from hues_shared.geography import hue_wards
from hues_shared.problems import BadRequest, Forbidden, NotFound
from hues_shared.types import utcnow

MAX_RANGE = timedelta(days=90)
CLIENT_PREFIX = "open311:"


@dataclass(frozen=True)
class RequestQuery:
    ids: list[str] | None
    service_codes: list[str] | None
    start: datetime | None
    end: datetime | None
    status: str | None


async def get_services(session: AsyncSession) -> list[dict[str, Any]]:
    return [
        {
            "service_code": c.code,
            "service_name": c.name_vi,
            "description": c.name_en,
            "metadata": True,  # the ward is asked as an attribute
            "type": "realtime",
            "keywords": c.group,
            "group": c.group,
        }
        for c in await categories_repository.get_all_active(session)
    ]


async def get_definition(session: AsyncSession, *, service_code: str) -> dict[str, Any]:
    category = await categories_repository.get(session, code=service_code)
    if category is None or not category.active:
        raise NotFound(f"No service {service_code}.")
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": "ward_code",
                "datatype": "singlevaluelist",
                "required": True,
                "datatype_description": "The ward or commune of Hue where the problem is",
                "order": 1,
                "description": "Phường/xã",
                "values": [{"key": w.code, "name": w.name} for w in hue_wards()],
            },
            {
                "variable": True,
                "code": "title",
                "datatype": "string",
                "required": False,
                "datatype_description": "A short title (default: the description's beginning)",
                "order": 2,
                "description": "Tiêu đề",
            },
        ],
    }


def _request(report: Report, unit_names: dict[str, str]) -> dict[str, Any]:
    published = report.published_at is not None
    return {
        "service_request_id": report.id,
        "status": open311_status(report.status),
        "status_notes": report.status,
        "service_name": report.category_code,
        "service_code": report.category_code,
        "description": report.description if published else None,
        "agency_responsible": unit_names.get(report.unit_id or "") if published else None,
        "service_notice": None,
        "requested_datetime": w3_datetime(report.submitted_at),
        "updated_datetime": w3_datetime(report.updated_at),
        "expected_datetime": w3_datetime(report.due_at),
        "address": report.address,
        "address_id": None,
        "zipcode": None,
        "lat": report.latitude,
        "long": report.longitude,
        "media_url": None,
    }


async def get_requests(session: AsyncSession, *, query: RequestQuery) -> list[dict[str, Any]]:
    if query.ids:
        rows = await repository.get_public_by_ids(session, ids=query.ids[:100])
    else:
        end = query.end or utcnow()
        start = query.start or end - MAX_RANGE
        if end - start > MAX_RANGE:
            raise BadRequest("start_date and end_date may span at most 90 days.")
        rows = await repository.get_public(
            session, service_codes=query.service_codes, start=start, end=end, limit=1000
        )
        if query.status is not None:
            rows = [r for r in rows if open311_status(r.status) == query.status]
    names = await units.get_unit_names(session, unit_ids={r.unit_id for r in rows if r.unit_id})
    return [_request(r, names) for r in rows]


async def get_request(session: AsyncSession, *, request_id: str) -> list[dict[str, Any]]:
    found = await get_requests(
        session, query=RequestQuery(ids=[request_id], service_codes=None, start=None, end=None, status=None)
    )
    if not found:
        raise NotFound(f"No service request {request_id}.")
    return found


def client_for(api_key: str | None, *, keys: dict[str, str]) -> str:
    """The partner application behind `api_key` (name -> key, compared in constant time)."""
    if not api_key:
        raise Forbidden("api_key is required to post service requests.")
    for name, key in keys.items():
        if hmac.compare_digest(key.encode(), api_key.encode()):
            return name
    raise Forbidden("api_key is not valid.")


async def post_request(
    session: AsyncSession, *, form: dict[str, str], client: str, pseudonym_key: str
) -> list[dict[str, Any]]:
    """A service request from a partner application, filed as a public report of that application."""
    description = (form.get("description") or "").strip()
    title = (form.get("attribute[title]") or description[:80]).strip()
    try:
        data = ReportIn(
            category_code=form.get("service_code") or "",
            title=title,
            description=description,
            latitude=float(form.get("lat") or "nan"),
            longitude=float(form.get("long") or "nan"),
            address=(form.get("address_string") or "").strip() or "-",
            ward_code=form.get("attribute[ward_code]") or "",
            is_public=True,
            urgent=False,
        )
    except ValueError as exc:
        raise BadRequest(_first_error(exc)) from exc
    principal = Principal(account_id=f"{CLIENT_PREFIX}{client}"[:36], kind="partner", roles=frozenset())
    report = await reports.submit_report(session, data=data, principal=principal, pseudonym_key=pseudonym_key)
    return [{"service_request_id": report.id, "service_notice": None, "account_id": None}]


def _first_error(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        field = ".".join(str(p) for p in first.get("loc", ())) or "request"
        return f"{field}: {first.get('msg', 'invalid')}"
    return "lat and long must be numbers"
