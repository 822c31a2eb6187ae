"""OAuth 2.0 routes: token (RFC 6749), revocation (RFC 7009), logout everywhere."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import JSONResponse

from hues_shared.app import DbSession
from hues_shared.auth.jwks import TokenInvalid
from hues_shared.auth.principal import Principal, current_principal_allowing_expired_password
from identity_service.auth import service
from identity_service.auth.schemas import NO_STORE, OAuthError, TokenOut
from identity_service.components import ClientAddress, Components

router = APIRouter(prefix="/v1/auth", tags=["tokens"])
OptionalForm = Annotated[str | None, Form()]


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def ensure_form_encoded(request: Request) -> None:
    """A JSON body is not read at all; say so instead of "grant_type is required" (issue 14, item 11)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in FORM_TYPES:
        raise OAuthError(
            "invalid_request",
            "The body must be application/x-www-form-urlencoded (RFC 6749, section 4.3.2), e.g. "
            f"grant_type=password&username=...&password=... ; got {content_type or 'no content type'}.",
        )


@router.post(
    "/token",
    summary="Get tokens (password or refresh_token grant)",
    responses={
        200: {"model": TokenOut},
        400: {"description": "OAuth 2.0 error: invalid_grant, invalid_request, ..."},
    },
)
async def token(
    request: Request,
    session: DbSession,
    components: Components,
    address: ClientAddress,
    grant_type: OptionalForm = None,
    username: OptionalForm = None,
    password: OptionalForm = None,
    refresh_token: OptionalForm = None,
    totp: OptionalForm = None,
    enrollment_code: OptionalForm = None,
) -> JSONResponse:
    """Form-encoded (RFC 6749): `application/x-www-form-urlencoded`, not JSON. `grant_type=password`
    with `username` = document number, phone or tax code (and `totp` when a second factor is on;
    `enrollment_code`, the code sent by SMS, when a required factor is being set up);
    `grant_type=refresh_token` rotates the refresh token. After 90 days (Art. 9.1) or with a temporary
    password the access token carries `pwd_expired: true` and opens only `GET /v1/me` and the password
    change (`POST /v1/me/password`)."""
    ensure_form_encoded(request)
    if grant_type == "password":
        if not username or not password:
            raise OAuthError("invalid_request", "username and password are required.")
        if len(password) > 1024 or len(username) > 64:
            raise service.bad_credentials()
        result = await service.password_grant(
            session,
            components,
            username=username,
            password=password,
            totp_code=totp,
            enrollment_code=enrollment_code,
            client_address=address,
            user_agent=request.headers.get("user-agent"),
        )
    elif grant_type == "refresh_token":
        if not refresh_token:
            raise OAuthError("invalid_request", "refresh_token is required.")
        result = await service.refresh_grant(
            session, components, refresh_token=refresh_token, client_address=address
        )
    elif grant_type is None:
        raise OAuthError("invalid_request", "grant_type is required.")
    else:
        raise OAuthError("unsupported_grant_type", "Supported: password, refresh_token.")
    return JSONResponse(result.model_dump(), headers=NO_STORE)


@router.post("/revoke", summary="Revoke a token (RFC 7009)")
async def revoke(
    request: Request,
    session: DbSession,
    components: Components,
    token: OptionalForm = None,
    token_type_hint: OptionalForm = None,
) -> Response:
    """Ends the session of a refresh token or of an access token's `sid`. Answers 200 even for unknown
    tokens, as RFC 7009 requires."""
    ensure_form_encoded(request)
    if not token:
        raise OAuthError("invalid_request", "token is required.")
    session_id = None
    if token.count(".") == 2:
        try:
            claims = await request.app.state.runtime.token_verifier.verify(token)
            session_id = claims.get("sid")
        except TokenInvalid:
            session_id = None
    await service.revoke_token(session, components, token=token, access_claims_session_id=session_id)
    return Response(status_code=200, headers=NO_STORE)


@router.post("/logout-all", status_code=204, summary="Sign out of every device")
async def logout_all(
    session: DbSession,
    address: ClientAddress,
    principal: Annotated[Principal, Depends(current_principal_allowing_expired_password)],
) -> Response:
    """Revokes every session of the caller; publishes SessionRevoked for the gateway."""
    await service.logout_everywhere(session, account_id=principal.account_id, client_address=address)
    return Response(status_code=204)
