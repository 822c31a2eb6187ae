"""API shapes of clients, secrets and signing keys."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ClientCreateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    environment: Literal["sandbox", "production"] = "sandbox"


class SecretOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    created_at: datetime
    not_after: datetime | None


class KeyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    algorithm: str
    public_key: str | None
    created_at: datetime
    not_after: datetime | None


class ClientOut(BaseModel):
    client_id: str
    application_id: str
    environment: str
    created_at: datetime
    secrets: list[SecretOut]
    keys: list[KeyOut]


class IssuedSecretOut(BaseModel):
    """Shown once: Hue-S stores only its hash."""

    client_id: str
    secret_id: str
    client_secret: str
    environment: str
    previous_valid_until: datetime | None = None


class KeyCreateIn(BaseModel):
    """ed25519: register your public key (PEM). hmac-sha256: Hue-S issues the shared key, shown once.
    `replaces`: an existing key id that keeps working for the overlap window, then stops."""

    model_config = ConfigDict(extra="forbid")

    algorithm: Literal["ed25519", "hmac-sha256"]
    public_key: str | None = Field(default=None, max_length=4000)
    replaces: str | None = None


class IssuedKeyOut(BaseModel):
    key_id: str
    algorithm: str
    client_id: str
    hmac_key: str | None = None  # base64url, shown once (hmac-sha256 only)
    previous_valid_until: datetime | None = None
