"""Routes of account administration by the DIC (Art. 13.2); agency admins may lock, unlock and reset
their own unit's officers (Art. 13.1)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from hues_shared.app import DbSession
from hues_shared.auth.principal import Principal, require_permission
from hues_shared.pagination import Page, PageParams, page_params
from hues_shared.permissions import ACCOUNTS_ADMINISTER
from hues_shared.problems import Forbidden
from identity_service.accounts.schemas import AccountOut
from identity_service.administration import service
from identity_service.administration.schemas import CloseIn, LockIn
from identity_service.components import ClientAddress, Components
from identity_service.staff.authorization import AccountAdministrator

router = APIRouter(prefix="/v1/admin/accounts", tags=["administration"])
Administrator = Annotated[Principal, require_permission(ACCOUNTS_ADMINISTER)]


async def platform_administrator(principal: Administrator) -> Principal:
    """The DIC's platform-wide grant (Art. 13.2): a grant within one unit does not reach closing accounts."""
    if not principal.holds(ACCOUNTS_ADMINISTER):
        raise Forbidden(
            "Closing accounts is the DIC's (Art. 13.2): it needs identity.account.administer platform-wide.",
            slug="platform-wide-grant-required",
        )
    return principal


DicAdministrator = Annotated[Principal, Depends(platform_administrator)]


@router.get("", summary="Search accounts")
async def search_accounts(
    session: DbSession,
    components: Components,
    principal: Administrator,
    page: Annotated[PageParams, Depends(page_params)],
    identifier: str | None = None,
    name: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    unit_id: str | None = None,
) -> Page[AccountOut]:
    """`identifier` is an exact document number, phone or tax code (matched by blind index, never
    stored in clear); results show personal data masked."""
    return await service.search_accounts(
        session,
        components,
        identifier=identifier,
        name=name,
        kind=kind,
        status=status,
        unit_id=unit_id,
        cursor=page.cursor,
        limit=page.limit,
        principal=principal,
    )


@router.get("/{account_id}", summary="One account (masked)")
async def get_account(
    account_id: str, session: DbSession, components: Components, principal: AccountAdministrator
) -> AccountOut:
    return await service.get_account(session, components, account_id=account_id, principal=principal)


@router.post("/{account_id}/lock", status_code=204, summary="Lock an account")
async def lock_account(
    account_id: str, body: LockIn, session: DbSession, principal: AccountAdministrator, address: ClientAddress
) -> Response:
    """Audited; publishes AccountLocked and SessionRevoked so its tokens stop working within seconds."""
    await service.lock_account(
        session, account_id=account_id, reason=body.reason, principal=principal, client_address=address
    )
    return Response(status_code=204)


@router.post("/{account_id}/unlock", status_code=204, summary="Unlock an account")
async def unlock_account(
    account_id: str,
    session: DbSession,
    components: Components,
    principal: AccountAdministrator,
    address: ClientAddress,
) -> Response:
    """Also lifts the sign-in delays of the account's login names. Audited; publishes AccountUnlocked."""
    await service.unlock_account(
        session, components, account_id=account_id, principal=principal, client_address=address
    )
    return Response(status_code=204)


@router.post("/{account_id}/password-reset", status_code=204, summary="Force a password reset")
async def reset_password(
    account_id: str,
    session: DbSession,
    components: Components,
    principal: AccountAdministrator,
    address: ClientAddress,
) -> Response:
    """A temporary password goes to the owner's phone (the administrator never sees it); sessions end
    and the next login may only change the password."""
    await service.reset_password(
        session, components, account_id=account_id, principal=principal, client_address=address
    )
    return Response(status_code=204)


@router.post("/{account_id}/close", status_code=204, summary="Close an account")
async def close_account(
    account_id: str, body: CloseIn, session: DbSession, principal: DicAdministrator, address: ClientAddress
) -> Response:
    """The DIC only (Art. 13.2), not an agency admin even over its own officers. Personal data erased,
    sessions revoked; publishes AccountClosed."""
    await service.close(
        session, account_id=account_id, reason=body.reason, principal=principal, client_address=address
    )
    return Response(status_code=204)
