"""Queries on clients, client secrets, signing keys and the token signing key."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from integration_service.credentials.models import Client, ClientSecret, SigningKey, TokenSigningKey


async def add(session: AsyncSession, *, row: Client | ClientSecret | SigningKey | TokenSigningKey) -> None:
    session.add(row)
    await session.flush()


async def get_client(session: AsyncSession, *, client_id: str) -> Client | None:
    return await session.get(Client, client_id)


async def get_client_for(session: AsyncSession, *, application_id: str, environment: str) -> Client | None:
    query = sa.select(Client).where(
        Client.application_id == application_id, Client.environment == environment
    )
    return (await session.scalars(query)).first()


async def get_clients(session: AsyncSession, *, application_id: str) -> Sequence[Client]:
    query = sa.select(Client).where(Client.application_id == application_id).order_by(Client.created_at)
    return (await session.scalars(query)).all()


async def get_secrets(
    session: AsyncSession, *, client_id: str, live_at: datetime | None = None
) -> Sequence[ClientSecret]:
    """The client's secrets; with `live_at`, only those still valid then."""
    query = sa.select(ClientSecret).where(ClientSecret.client_id == client_id)
    if live_at is not None:
        query = query.where(sa.or_(ClientSecret.not_after.is_(None), ClientSecret.not_after > live_at))
    return (await session.scalars(query.order_by(ClientSecret.created_at))).all()


async def get_secret(session: AsyncSession, *, client_id: str, secret_id: str) -> ClientSecret | None:
    secret = await session.get(ClientSecret, secret_id)
    return secret if secret is not None and secret.client_id == client_id else None


async def get_keys(
    session: AsyncSession, *, client_id: str, live_at: datetime | None = None
) -> Sequence[SigningKey]:
    query = sa.select(SigningKey).where(SigningKey.client_id == client_id)
    if live_at is not None:
        query = query.where(sa.or_(SigningKey.not_after.is_(None), SigningKey.not_after > live_at))
    return (await session.scalars(query.order_by(SigningKey.created_at))).all()


async def get_key(session: AsyncSession, *, client_id: str, key_id: str) -> SigningKey | None:
    key = await session.get(SigningKey, key_id)
    return key if key is not None and key.client_id == client_id else None


async def get_token_keys(session: AsyncSession) -> Sequence[TokenSigningKey]:
    query = sa.select(TokenSigningKey).order_by(TokenSigningKey.created_at.desc())
    return (await session.scalars(query)).all()
