"""Preferences per topic and channel, quiet hours; critical warnings bypass both (issue 10)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy.ext.asyncio import AsyncSession

from notification_service.preferences import repository
from notification_service.preferences.schemas import MutedChannel, PreferencesIn, PreferencesOut, QuietHours
from notification_service.recipients import repository as recipients

HUE_TIME = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")


def _minutes(value: str) -> int:
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def _hh_mm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def in_quiet_hours(start: int | None, end: int | None, *, at: datetime) -> bool:
    """Whether `at` falls in [start, end) of Hue local time; start > end spans midnight."""
    if start is None or end is None or start == end:
        return False
    local = at.astimezone(HUE_TIME)
    now = local.hour * 60 + local.minute
    return start <= now < end if start < end else now >= start or now < end


def quiet_hours_end(start: int, end: int, *, at: datetime) -> datetime:
    """When the quiet period that contains `at` ends (UTC)."""
    local = at.astimezone(HUE_TIME)
    ending = local.replace(hour=end // 60, minute=end % 60, second=0, microsecond=0)
    if ending <= local:
        ending += timedelta(days=1)
    return ending.astimezone(at.tzinfo)


async def get_preferences(session: AsyncSession, *, account_id: str) -> PreferencesOut:
    recipient = await recipients.get(session, account_id=account_id)
    quiet = None
    if recipient and recipient.quiet_start_minute is not None and recipient.quiet_end_minute is not None:
        quiet = QuietHours(start=_hh_mm(recipient.quiet_start_minute), end=_hh_mm(recipient.quiet_end_minute))
    muted = [
        MutedChannel.model_validate({"topic": m.topic, "channel": m.channel})
        for m in await repository.get_muted(session, account_id=account_id)
    ]
    return PreferencesOut(
        topics=await repository.get_topics(session, account_id=account_id), muted=muted, quiet_hours=quiet
    )


async def update_preferences(
    session: AsyncSession, *, account_id: str, data: PreferencesIn
) -> PreferencesOut:
    recipient = await recipients.get_or_create(session, account_id=account_id)
    recipient.quiet_start_minute = _minutes(data.quiet_hours.start) if data.quiet_hours else None
    recipient.quiet_end_minute = _minutes(data.quiet_hours.end) if data.quiet_hours else None
    await repository.replace(
        session, account_id=account_id, topics=data.topics, muted=[(m.topic, m.channel) for m in data.muted]
    )
    return await get_preferences(session, account_id=account_id)


async def get_topics(session: AsyncSession, *, account_id: str) -> list[str]:
    return await repository.get_topics(session, account_id=account_id)


async def get_muted_topics(session: AsyncSession, *, account_id: str, channel: str) -> list[str]:
    return [
        m.topic for m in await repository.get_muted(session, account_id=account_id) if m.channel == channel
    ]
