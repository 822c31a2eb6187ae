"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) at /v1/open311/v2/, JSON or XML.

Errors leave in the spec's format (a list of {code, description}), not as problem+json, because
standard GeoReport clients read that. The gateway also maps the root /open311/v2/ here.
"""

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from feedback_service.config import FeedbackSettings
from feedback_service.open311 import service
from feedback_service.open311.formats import FORMATS, error, render
from feedback_service.open311.service import RequestQuery
from hues_shared.app import DbSession, Runtime
from hues_shared.problems import BadRequest, ProblemError

router = APIRouter(prefix="/v1/open311/v2", tags=["open311 georeport v2"])
SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-03T00:00:00+07:00"


async def _answer(
    fmt: str, root: str, produce: Callable[[], Awaitable[Any]], *, status: int = 200
) -> Response:
    if fmt not in FORMATS:
        return error("json", 404, f"Unknown format {fmt}; use json or xml.")
    try:
        return render(fmt, root, await produce(), status=status)
    except ProblemError as exc:
        return error(fmt, exc.status, exc.detail or exc.title)


def _date(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise BadRequest(f"{name} must be a W3C datetime such as 2026-01-01T00:00:00+07:00") from exc
    if parsed.tzinfo is None:
        raise BadRequest(f"{name} needs an offset (Z or +07:00).")
    return parsed


def _list(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


@router.get("/discovery.{fmt}", summary="Discovery document")
async def discovery(fmt: str, request: Request, runtime: Runtime) -> Response:
    base = runtime.settings.public_base_url.rstrip("/") or str(request.base_url).rstrip("/")

    async def produce() -> dict[str, Any]:
        return {
            "changeset": CHANGESET,
            "contact": "Trung tâm Giám sát, điều hành đô thị thông minh tỉnh Thừa Thiên Huế (IOC)",
            "key_service": "api_key: apply as a partner application through Hue-S integration (Art. 15.2)",
            "endpoints": [
                {
                    "specification": SPEC,
                    "url": f"{base}/open311/v2",
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        }

    return await _answer(fmt, "discovery", produce)


@router.get("/services.{fmt}", summary="Service list (report categories)")
async def services(fmt: str, session: DbSession) -> Response:
    return await _answer(fmt, "services", lambda: service.get_services(session))


@router.get("/services/{service_code}.{fmt}", summary="Service definition (its attributes)")
async def definition(service_code: str, fmt: str, session: DbSession) -> Response:
    return await _answer(
        fmt, "service_definition", lambda: service.get_definition(session, service_code=service_code)
    )


@router.get("/requests.{fmt}", summary="Service requests (public reports)")
async def get_requests(fmt: str, request: Request, session: DbSession) -> Response:
    params = request.query_params

    async def produce() -> list[dict[str, Any]]:
        status = params.get("status")
        if status not in (None, "open", "closed"):
            raise BadRequest("status is open or closed.")
        query = RequestQuery(
            ids=_list(params.get("service_request_id")),
            service_codes=_list(params.get("service_code")),
            start=_date(params.get("start_date"), "start_date"),
            end=_date(params.get("end_date"), "end_date"),
            status=status,
        )
        return await service.get_requests(session, query=query)

    return await _answer(fmt, "service_requests", produce)


@router.get("/requests/{request_id}.{fmt}", summary="One service request")
async def get_request(request_id: str, fmt: str, session: DbSession) -> Response:
    return await _answer(fmt, "service_requests", lambda: service.get_request(session, request_id=request_id))


@router.post("/requests.{fmt}", summary="Create a service request (partner applications, api_key)")
async def post_request(fmt: str, request: Request, session: DbSession, runtime: Runtime) -> Response:
    """Form-encoded as in the spec: api_key, service_code, lat, long, address_string, description,
    attribute[ward_code] (required), attribute[title]. Contact fields are not kept (data minimisation)."""
    settings = runtime.settings
    assert isinstance(settings, FeedbackSettings)

    form = {k: str(v) for k, v in (await request.form()).items()}
    try:  # the key first: without one, every caller gets the same 403, whatever else is wrong
        client = service.client_for(form.get("api_key"), keys=settings.open311_api_keys)
    except ProblemError as exc:
        return error(fmt if fmt in FORMATS else "json", exc.status, exc.detail or exc.title)

    async def produce() -> list[dict[str, Any]]:
        return await service.post_request(
            session,
            form=form,
            client=client,
            pseudonym_key=settings.reporter_pseudonym_key.get_secret_value(),
        )

    return await _answer(fmt, "service_requests", produce, status=201)


@router.get("/tokens/{token_id}.{fmt}", summary="Service request id from a token")
async def get_token(token_id: str, fmt: str, session: DbSession) -> Response:
    """Requests are created at once, so a token is the request's own id."""

    async def produce() -> list[dict[str, Any]]:
        await service.get_request(session, request_id=token_id)
        return [{"service_request_id": token_id, "token": token_id}]

    return await _answer(fmt, "service_requests", produce)
