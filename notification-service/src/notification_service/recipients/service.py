"""Keeps the account projection current from identity's events (home ward, language, roles)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.i18n import SUPPORTED
from hues_shared.types import utcnow
from notification_service.recipients import repository
from notification_service.recipients.models import Recipient


def _language(value: str | None) -> str:
    return value if value is not None and value in SUPPORTED else "vi"


async def record_registration(
    session: AsyncSession, *, account_id: str, kind: str, home_ward_code: str | None, language: str | None
) -> Recipient:
    recipient = await repository.get_or_create(session, account_id=account_id)
    recipient.kind = kind
    recipient.home_ward_code = home_ward_code
    recipient.language = _language(language)
    recipient.updated_at = utcnow()
    if kind in ("citizen", "organization"):
        await repository.add_role(session, account_id=account_id, role=kind)
    return recipient


async def record_profile(
    session: AsyncSession, *, account_id: str, home_ward_code: str | None, language: str | None
) -> Recipient:
    recipient = await repository.get_or_create(session, account_id=account_id)
    recipient.home_ward_code = home_ward_code
    if language is not None:
        recipient.language = _language(language)
    recipient.updated_at = utcnow()
    return recipient


async def record_role(session: AsyncSession, *, account_id: str, role: str, granted: bool) -> None:
    await repository.get_or_create(session, account_id=account_id)
    if granted:
        await repository.add_role(session, account_id=account_id, role=role)
    else:
        await repository.delete_role(session, account_id=account_id, role=role)


async def get_language(session: AsyncSession, *, account_id: str) -> str:
    recipient = await repository.get(session, account_id=account_id)
    return recipient.language if recipient else "vi"


async def forget(session: AsyncSession, *, account_id: str) -> None:
    """A closed account leaves the projection (Law 91/2025)."""
    await repository.delete(session, account_id=account_id)
