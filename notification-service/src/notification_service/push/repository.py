"""Queries on devices and push deliveries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from notification_service.push.models import Device, PushDelivery, PushJob
from notification_service.recipients.models import Recipient


async def get(session: AsyncSession, *, device_id: str) -> Device | None:
    return await session.get(Device, device_id)


async def get_by_token(session: AsyncSession, *, token: str) -> Device | None:
    return (await session.scalars(sa.select(Device).where(Device.token == token))).one_or_none()


async def get_all_for_account(session: AsyncSession, *, account_id: str) -> Sequence[Device]:
    query = sa.select(Device).where(Device.account_id == account_id).order_by(Device.created_at, Device.id)
    return (await session.scalars(query)).all()


async def create(session: AsyncSession, *, device: Device) -> Device:
    session.add(device)
    await session.flush()
    return device


async def delete(session: AsyncSession, *, device_ids: Sequence[str]) -> int:
    if not device_ids:
        return 0
    result = await session.execute(sa.delete(Device).where(Device.id.in_(device_ids)))
    return int(getattr(result, "rowcount", 0) or 0)


async def delete_all_for_account(session: AsyncSession, *, account_id: str) -> None:
    await session.execute(sa.delete(Device).where(Device.account_id == account_id))


async def get_located_in_box(
    session: AsyncSession, *, south: float, north: float, west: float, east: float
) -> Sequence[tuple[str, float, float]]:
    """(account_id, lat, lon) of opted-in devices inside a bounding box (the exact shape is checked after)."""
    query = sa.select(Device.account_id, Device.latitude, Device.longitude).where(
        Device.share_location.is_(True),
        Device.latitude.between(south, north),
        Device.longitude.between(west, east),
    )
    return [(a, float(lat or 0), float(lon or 0)) for a, lat, lon in (await session.execute(query)).all()]


async def stream_targets(
    session: AsyncSession, *, accounts: sa.Select[Any] | None, after_device_id: str, limit: int
) -> Sequence[tuple[Device, int | None, int | None]]:
    """The next devices of the audience (keyset on device id) with their account's quiet hours."""
    query = (
        sa.select(Device, Recipient.quiet_start_minute, Recipient.quiet_end_minute)
        .outerjoin(Recipient, Recipient.account_id == Device.account_id)
        .where(Device.id > after_device_id)
        .order_by(Device.id)
        .limit(limit)
    )
    if accounts is not None:
        query = query.where(Device.account_id.in_(accounts))
    return [(d, s, e) for d, s, e in (await session.execute(query)).all()]


async def get_deliveries(
    session: AsyncSession, *, notice_id: str, device_ids: Sequence[str]
) -> dict[str, PushDelivery]:
    query = sa.select(PushDelivery).where(
        PushDelivery.notice_id == notice_id, PushDelivery.device_id.in_(device_ids)
    )
    return {d.device_id: d for d in (await session.scalars(query)).all()}


async def save_deliveries(session: AsyncSession, *, deliveries: Sequence[PushDelivery]) -> None:
    for delivery in deliveries:
        await session.merge(delivery)
    await session.flush()


async def set_location(
    session: AsyncSession, *, device: Device, latitude: float | None, longitude: float | None, at: datetime
) -> None:
    device.latitude, device.longitude, device.located_at, device.updated_at = latitude, longitude, at, at
    await session.flush()


async def create_job(session: AsyncSession, *, notice_id: str) -> None:
    if await session.get(PushJob, notice_id) is None:
        session.add(PushJob(notice_id=notice_id, after_device_id=""))
        await session.flush()


async def claim_job(session: AsyncSession) -> PushJob | None:
    """The oldest unfinished job, locked for this page; other dispatchers skip it meanwhile (PostgreSQL)."""
    query = (
        sa.select(PushJob)
        .where(PushJob.done_at.is_(None))
        .order_by(PushJob.created_at, PushJob.notice_id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return (await session.scalars(query)).one_or_none()


async def get_many(session: AsyncSession, *, device_ids: Sequence[str]) -> dict[str, Device]:
    if not device_ids:
        return {}
    return {
        d.id: d for d in (await session.scalars(sa.select(Device).where(Device.id.in_(device_ids)))).all()
    }


async def claim_due_deferrals(session: AsyncSession, *, now: datetime, limit: int) -> Sequence[PushDelivery]:
    """Pushes held for quiet hours that may go now, locked against other dispatchers."""
    query = (
        sa.select(PushDelivery)
        .where(PushDelivery.status == "deferred_quiet", PushDelivery.not_before <= now)
        .order_by(PushDelivery.not_before)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await session.scalars(query)).all()
