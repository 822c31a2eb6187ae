"""Routes of the caller's own notification preferences."""

from fastapi import APIRouter

from hues_shared.app import DbSession
from hues_shared.auth.principal import CurrentPrincipal
from notification_service.preferences import service
from notification_service.preferences.schemas import PreferencesIn, PreferencesOut

router = APIRouter(prefix="/v1/preferences", tags=["preferences"])


@router.get("", summary="My notification preferences")
async def get_my_preferences(session: DbSession, principal: CurrentPrincipal) -> PreferencesOut:
    """Followed topics, channels turned off per topic, and quiet hours (Hue local time)."""
    return await service.get_preferences(session, account_id=principal.account_id)


@router.put("", summary="Replace my notification preferences", responses={422: {"description": "Invalid"}})
async def put_my_preferences(
    data: PreferencesIn, session: DbSession, principal: CurrentPrincipal
) -> PreferencesOut:
    """Replaces the whole set. Critical warnings (Extreme or Severe, Immediate) still reach every channel."""
    return await service.update_preferences(session, account_id=principal.account_id, data=data)
