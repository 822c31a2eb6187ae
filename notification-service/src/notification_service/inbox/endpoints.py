"""Routes of the in-app inbox: one feed per account (Art. 6.2)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query

from hues_shared.app import DbSession
from hues_shared.auth.principal import CurrentPrincipal
from hues_shared.i18n import preferred_language
from hues_shared.pagination import Page, PageParams, page_params
from notification_service.inbox import service
from notification_service.inbox.schemas import (
    InboxItemOut,
    InboxItemStateIn,
    ItemKind,
    ItemState,
    UnreadCountOut,
)

router = APIRouter(prefix="/v1/inbox", tags=["inbox"])
Language = Annotated[str | None, Header(alias="Accept-Language")]


@router.get(
    "",
    summary="My inbox",
    responses={400: {"description": "Invalid cursor"}, 401: {"description": "No token"}},
)
async def get_my_inbox(
    session: DbSession,
    principal: CurrentPrincipal,
    page: Annotated[PageParams, Depends(page_params)],
    kind: Annotated[ItemKind | None, Query(description="notice, alert or message")] = None,
    state: Annotated[ItemState | None, Query(description="Default: everything not archived")] = None,
    accept_language: Language = None,
) -> Page[InboxItemOut]:
    """Notices and warnings addressed to the caller (everyone, home ward, area, role, topic, the account)
    merged with personal messages, newest first, cursor-paginated; vi or en by Accept-Language."""
    return await service.get_inbox(
        session,
        principal=principal,
        language=preferred_language(accept_language),
        kind=kind,
        state=state,
        cursor=page.cursor,
        limit=page.limit,
    )


@router.get("/unread-count", summary="How many unread items", responses={401: {"description": "No token"}})
async def get_my_unread_count(session: DbSession, principal: CurrentPrincipal) -> UnreadCountOut:
    """Unread and not archived, across notices, warnings and personal messages."""
    return UnreadCountOut(unread=await service.count_unread(session, principal=principal))


@router.patch(
    "/{item_id}",
    summary="Mark an item read, unread or archived",
    responses={404: {"description": "Not in your inbox"}, 401: {"description": "No token"}},
)
async def update_my_inbox_item(
    item_id: str,
    data: InboxItemStateIn,
    session: DbSession,
    principal: CurrentPrincipal,
    accept_language: Language = None,
) -> InboxItemOut:
    """Only items of the caller's own inbox; the state is per account (a broadcast stays one row)."""
    return await service.update_item_state(
        session, principal=principal, item_id=item_id, data=data, language=preferred_language(accept_language)
    )
