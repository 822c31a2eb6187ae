"""OAuth 2.0 shapes (RFC 6749 section 5): the token response and the error response."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from hues_shared.problems import RecordedRefusal

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int
    refresh_token: str
    password_expired: bool = False


class OAuthError(RecordedRefusal):
    """An RFC 6749 (section 5.2) error: `invalid_grant`, `invalid_request`, `unsupported_grant_type`, ...

    Raised like every other refusal, and a `RecordedRefusal`: the unit of work commits the failure
    counters and audit rows written before it. Only its body differs from problem+json, because OAuth
    clients read `error`/`error_description`; `oauth_error_response` renders it (installed by main).
    """

    def __init__(self, error: str, description: str, *, status: int = 400, **extra: Any) -> None:
        super().__init__(description, slug=error.replace("_", "-"), title=error, status=status)
        self.error = error
        self.description = description
        self.extra = extra

    def response(self) -> JSONResponse:
        body = {"error": self.error, "error_description": self.description, **self.extra}
        return JSONResponse(body, status_code=self.status, headers=NO_STORE)


async def oauth_error_response(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, OAuthError)
    return exc.response()
