"""Token response (RFC 6749, section 5.1)."""

from pydantic import BaseModel


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int
    scope: str
