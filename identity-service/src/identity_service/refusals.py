"""Refusals whose bookkeeping (failure counters, attempts, audit rows) must still be committed."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from hues_shared.problems import ProblemError, problem_response


class RecordedRefusal(ProblemError):
    """Raised by a service after it recorded the failure; the route returns it instead of re-raising,
    so the unit of work commits the counters instead of rolling them back."""


def refusal_response(refusal: ProblemError, request: Request) -> JSONResponse:
    return problem_response(
        status=refusal.status,
        slug=refusal.slug,
        title=refusal.title,
        detail=refusal.detail,
        instance=request.url.path,
        headers=refusal.headers,
        **refusal.extensions,
    )
