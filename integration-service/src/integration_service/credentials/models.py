"""Client credentials and request-signing keys of approved applications (connection standard, section 5)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hues_shared.types import UtcDateTime, utcnow
from integration_service.db import Base


class Client(Base):
    """One OAuth client per application and environment (sandbox first, production after a 2nd approval)."""

    __tablename__ = "clients"
    __table_args__ = (sa.UniqueConstraint("application_id", "environment"),)

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)  # the client_id
    application_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("applications.id"), nullable=False
    )
    environment: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)


class ClientSecret(Base):
    """A client secret, stored as its SHA-256 (256 random bits need no slow hash); shown once."""

    __tablename__ = "client_secrets"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    client_id: Mapped[str] = mapped_column(
        sa.String(64), sa.ForeignKey("clients.id"), nullable=False, index=True
    )
    secret_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    not_after: Mapped[datetime | None] = mapped_column(
        UtcDateTime()
    )  # set by rotation (overlap) or revocation


class SigningKey(Base):
    """An RFC 9421 request-signing key: a registered ed25519 public key, or an hmac-sha256 key we issued."""

    __tablename__ = "signing_keys"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)  # the keyid
    client_id: Mapped[str] = mapped_column(
        sa.String(64), sa.ForeignKey("clients.id"), nullable=False, index=True
    )
    algorithm: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    public_key: Mapped[str | None] = mapped_column(sa.Text)
    sealed_secret: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
    not_after: Mapped[datetime | None] = mapped_column(UtcDateTime())


class TokenSigningKey(Base):
    """integration-service's own ES256 key for client-credentials tokens, published at /v1/oauth/jwks.json."""

    __tablename__ = "token_signing_keys"

    kid: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    private_key_sealed: Mapped[str] = mapped_column(sa.Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False, default=utcnow)
