"""Routes of the in-app inbox."""

from typing import Annotated

from fastapi import APIRouter, Depends

from hues_shared.app import DbSession
from hues_shared.auth.principal import CurrentPrincipal
from hues_shared.pagination import Page, PageParams, page_params
from notification_service.inbox import service
from notification_service.inbox.schemas import InboxMessageOut

router = APIRouter(prefix="/v1/inbox", tags=["inbox"])


@router.get("", summary="My in-app messages")
async def get_my_inbox(
    session: DbSession, principal: CurrentPrincipal, page: Annotated[PageParams, Depends(page_params)]
) -> Page[InboxMessageOut]:
    """Messages addressed to the calling account, newest first (cursor-paginated)."""
    return await service.get_inbox(
        session, account_id=principal.account_id, cursor=page.cursor, limit=page.limit
    )
