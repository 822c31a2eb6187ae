"""Queries on accounts and their login identifiers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from identity_service.accounts.models import Account, LoginIdentifier


async def create(session: AsyncSession, *, account: Account, identifiers: dict[str, str]) -> Account:
    """Insert the account and its blind-indexed identifiers ({blind_index: kind})."""
    session.add(account)
    await session.flush()
    session.add_all(
        LoginIdentifier(blind_index=i, kind=k, account_id=account.id) for i, k in identifiers.items()
    )
    await session.flush()
    return account


async def get(session: AsyncSession, *, account_id: str) -> Account | None:
    return await session.get(Account, account_id)


async def get_for_update(session: AsyncSession, *, account_id: str) -> Account | None:
    return (
        await session.scalars(sa.select(Account).where(Account.id == account_id).with_for_update())
    ).first()


async def get_all_by_blind_indexes(
    session: AsyncSession, *, blind_indexes: Sequence[str]
) -> Sequence[Account]:
    """Every account one of `blind_indexes` belongs to (more than one means an ambiguous login name)."""
    query = (
        sa.select(Account)
        .join(LoginIdentifier, LoginIdentifier.account_id == Account.id)
        .where(LoginIdentifier.blind_index.in_(blind_indexes))
        .distinct()
    )
    return (await session.scalars(query.order_by(Account.id))).all()


async def spend_totp_step(session: AsyncSession, *, account_id: str, counter: int) -> bool:
    """Record `counter` as the last TOTP step used, atomically: False when it (or a later one) was
    already spent, also by a concurrent request (RFC 6238 section 5.2: each code works once)."""
    result = await session.execute(
        sa.update(Account)
        .where(
            Account.id == account_id,
            sa.or_(Account.totp_last_counter.is_(None), Account.totp_last_counter < counter),
        )
        .values(totp_last_counter=counter)
        .execution_options(synchronize_session="fetch")
    )
    return bool(getattr(result, "rowcount", 0))


async def get_all_pending_created_before(
    session: AsyncSession, *, before: datetime, limit: int
) -> Sequence[Account]:
    """Registrations never verified and older than `before` (purged by the maintenance task)."""
    query = sa.select(Account).where(Account.status == "pending_verification", Account.created_at < before)
    return (await session.scalars(query.order_by(Account.created_at).limit(limit))).all()


async def get_identifier_owners(
    session: AsyncSession, *, blind_indexes: Sequence[str]
) -> Sequence[LoginIdentifier]:
    query = sa.select(LoginIdentifier).where(LoginIdentifier.blind_index.in_(blind_indexes))
    return (await session.scalars(query)).all()


async def delete_identifiers(session: AsyncSession, *, account_id: str) -> None:
    await session.execute(sa.delete(LoginIdentifier).where(LoginIdentifier.account_id == account_id))


async def delete(session: AsyncSession, *, account: Account) -> None:
    await session.delete(account)
    await session.flush()


async def search(
    session: AsyncSession,
    *,
    blind_indexes: Sequence[str] | None,
    name: str | None,
    kind: str | None,
    status: str | None,
    unit_id: str | None,
    after_id: str | None,
    limit: int,
    within_units: Sequence[str] | None = None,
) -> Sequence[Account]:
    """Accounts for administrators; an exact identifier is matched through its blind index;
    `within_units` limits the search to those units' accounts (a unit-scoped administrator)."""
    query = sa.select(Account)
    if blind_indexes is not None:
        query = query.join(LoginIdentifier, LoginIdentifier.account_id == Account.id).where(
            LoginIdentifier.blind_index.in_(blind_indexes)
        )
    if name:
        query = query.where(sa.func.lower(Account.display_name).contains(name.lower(), autoescape=True))
    if kind:
        query = query.where(Account.kind == kind)
    if status:
        query = query.where(Account.status == status)
    if unit_id:
        query = query.where(Account.unit_id == unit_id)
    if within_units is not None:
        query = query.where(Account.unit_id.in_(within_units))
    if after_id:
        query = query.where(Account.id > after_id)
    return (await session.scalars(query.order_by(Account.id).limit(limit))).all()


async def get_all_with_password_changed_before(
    session: AsyncSession, *, before: datetime, after_id: str | None, limit: int
) -> Sequence[Account]:
    """Active accounts whose password is old enough to need a reminder, by id (keyset pages)."""
    query = sa.select(Account).where(
        Account.status == "active",
        Account.password_changed_at.is_not(None),
        Account.password_changed_at <= before,
        Account.password_must_change.is_(False),
    )
    if after_id:
        query = query.where(Account.id > after_id)
    return (await session.scalars(query.order_by(Account.id).limit(limit))).all()
