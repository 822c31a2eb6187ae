"""Device registrations (platform, token, locale, app version) and their opted-in last location."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.problems import Conflict, NotFound
from hues_shared.types import utcnow
from notification_service.push import repository
from notification_service.push.models import Device
from notification_service.push.schemas import DeviceIn, LocationIn


async def register_device(session: AsyncSession, *, account_id: str, data: DeviceIn) -> Device:
    """Upsert by token: a phone handed to another account stops receiving the first one's pushes."""
    now = utcnow()
    device = await repository.get_by_token(session, token=data.token)
    if device is None:
        device = await repository.create(
            session,
            device=Device(
                account_id=account_id, token=data.token, platform=data.platform, app_version=data.app_version
            ),
        )
    if device.account_id != account_id:
        device.latitude = device.longitude = device.located_at = None
    device.account_id, device.platform, device.locale = account_id, data.platform, data.locale
    device.app_version, device.share_location, device.updated_at = data.app_version, data.share_location, now
    if not data.share_location:
        device.latitude = device.longitude = device.located_at = None  # opting out forgets the location
    await session.flush()
    return device


async def get_devices(session: AsyncSession, *, account_id: str) -> Sequence[Device]:
    return await repository.get_all_for_account(session, account_id=account_id)


async def _own(session: AsyncSession, *, account_id: str, device_id: str) -> Device:
    device = await repository.get(session, device_id=device_id)
    if device is None or device.account_id != account_id:
        raise NotFound("No such device of yours.")
    return device


async def update_location(
    session: AsyncSession, *, account_id: str, device_id: str, data: LocationIn
) -> Device:
    device = await _own(session, account_id=account_id, device_id=device_id)
    if not device.share_location:
        raise Conflict("This device did not opt in to sharing its location.", slug="location-not-shared")
    await repository.set_location(
        session, device=device, latitude=data.latitude, longitude=data.longitude, at=utcnow()
    )
    return device


async def delete_device(session: AsyncSession, *, account_id: str, device_id: str) -> None:
    device = await _own(session, account_id=account_id, device_id=device_id)
    await repository.delete(session, device_ids=[device.id])
