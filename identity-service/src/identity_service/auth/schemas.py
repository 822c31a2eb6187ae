"""OAuth 2.0 shapes (RFC 6749 section 5): the token response and the error response."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int
    refresh_token: str
    password_expired: bool = False


@dataclass
class OAuthError:
    """An RFC 6749 error: `invalid_grant`, `invalid_request`, `unsupported_grant_type`, ..."""

    error: str
    description: str
    status: int = 400
    extra: dict[str, Any] = field(default_factory=dict)

    def response(self) -> JSONResponse:
        body = {"error": self.error, "error_description": self.description, **self.extra}
        return JSONResponse(body, status_code=self.status, headers=NO_STORE)
