"""RFC 9457 problem details: domain errors carry their HTTP status; every error leaves as problem+json."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from hues_shared.context import request_id_var

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://hue-s.vn/problems/"
logger = logging.getLogger(__name__)


class ProblemError(Exception):
    """An error the client can act on; subclasses fix status and type, callers give the detail."""

    status: int = 400
    slug: str = "bad-request"
    title: str = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        slug: str | None = None,
        title: str | None = None,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        if slug:
            self.slug = slug
        if title:
            self.title = title
        if status:
            self.status = status
        self.headers = dict(headers or {})
        self.extensions = extensions


class RecordedRefusal(ProblemError):
    """A refusal whose bookkeeping must survive it: failure counters, attempt counts, audit rows.

    Raise it like any problem; the request's unit of work (`hues_shared.app.DbSession`) commits what
    the service wrote before raising, then the problem goes out as usual. Every other exception rolls
    the unit of work back. No route catches it by hand. Give `status`, `slug` and `title` as needed.
    """


class BadRequest(ProblemError):
    status, slug, title = 400, "bad-request", "Bad request"


class Unauthorized(ProblemError):
    status, slug, title = 401, "unauthorized", "Authentication required"

    def __init__(self, detail: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": 'Bearer realm="hue-s"'})
        super().__init__(detail, **kwargs)


class Forbidden(ProblemError):
    status, slug, title = 403, "forbidden", "Not allowed"


class NotFound(ProblemError):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(ProblemError):
    status, slug, title = 409, "conflict", "Conflict"


class PayloadTooLarge(ProblemError):
    status, slug, title = 413, "payload-too-large", "Request body too large"


class UnprocessableContent(ProblemError):
    status, slug, title = 422, "validation-error", "The request is not valid"


class TooManyRequests(ProblemError):
    status, slug, title = 429, "rate-limited", "Too many requests"


class ServiceUnavailable(ProblemError):
    status, slug, title = 503, "service-unavailable", "Service unavailable"


def problem_body(
    *, status: int, slug: str, title: str, detail: str | None, instance: str | None, **extensions: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"type": PROBLEM_BASE + slug, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    request_id = request_id_var.get()
    if request_id:
        body["request_id"] = request_id
    body.update(extensions)
    return body


def problem_response(
    *,
    status: int,
    slug: str,
    title: str,
    detail: str | None = None,
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    return JSONResponse(
        problem_body(status=status, slug=slug, title=title, detail=detail, instance=instance, **extensions),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=dict(headers or {}),
    )


def internal_error(scope: Mapping[str, Any]) -> JSONResponse:
    """The 500 answer to a crash: no stack trace, only the request id to quote."""
    return problem_response(
        status=500,
        slug="internal-error",
        title="Internal server error",
        detail="The error was logged; quote the request id when reporting it.",
        instance=scope.get("path"),
    )


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    errors = []
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ())]
        errors.append(
            {
                "in": loc[0] if loc else "body",
                "field": ".".join(loc[1:]) or (loc[0] if loc else ""),
                "message": error.get("msg", "invalid"),
                "code": error.get("type", "invalid"),
            }
        )
    return errors


def response_for(exc: ProblemError, request: Request) -> JSONResponse:
    """The problem+json response of a domain error (also for routes that return a refusal, not raise it)."""
    return problem_response(
        status=exc.status,
        slug=exc.slug,
        title=exc.title,
        detail=exc.detail,
        instance=request.url.path,
        headers=exc.headers,
        **exc.extensions,
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Map every error path (domain, HTTP, validation, unknown routes, crashes) to problem+json."""

    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ProblemError)
        return response_for(exc, request)

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        status = exc.status_code
        phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
        slug = {
            404: "not-found",
            405: "method-not-allowed",
            401: "unauthorized",
            403: "forbidden",
            413: "payload-too-large",  # same type whether the limit was declared or hit while streaming
        }.get(status, phrase.lower().replace(" ", "-"))
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != phrase else None
        if status == 404 and detail is None:
            detail = f"No resource at {request.url.path}"
        return problem_response(
            status=status,
            slug=slug,
            title=phrase,
            detail=detail,
            instance=request.url.path,
            headers=getattr(exc, "headers", None),
        )

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return problem_response(
            status=422,
            slug="validation-error",
            title="The request is not valid",
            detail="One or more fields are invalid; see 'errors'.",
            instance=request.url.path,
            errors=_field_errors(exc),
        )

    async def on_crash(request: Request, exc: Exception) -> JSONResponse:
        logger.exception("unhandled error", extra={"path": request.url.path})
        return internal_error(request.scope)

    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(Exception, on_crash)
