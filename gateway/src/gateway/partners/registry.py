"""What the gateway knows about partner applications and their signing keys, from integration's events."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from hues_shared.contracts.integration import (
    ApplicationApproved,
    ApplicationReinstated,
    ApplicationRetired,
    ApplicationSuspended,
    SigningKeyRegistered,
    SigningKeyRevoked,
)
from hues_shared.events.contracts import EventContract
from hues_shared.sealing import InvalidToken, Sealer

logger = logging.getLogger(__name__)


@dataclass
class PartnerKey:
    key_id: str
    client_id: str
    application_id: str
    algorithm: str  # ed25519 | hmac-sha256
    environment: str
    material: bytes  # PEM public key, or the raw hmac key
    not_after: float | None = None  # epoch seconds

    def live(self, now: float) -> bool:
        return self.not_after is None or now < self.not_after


class PartnerRegistry:
    """Read on every machine request (two dict lookups); written by the partner listener."""

    def __init__(self, *, sealer: Sealer) -> None:
        self.sealer = sealer
        self.statuses: dict[str, str] = {}  # application id -> status
        self.keys: dict[str, PartnerKey] = {}

    def __len__(self) -> int:
        return len(self.statuses) + len(self.keys)

    def status(self, application_id: str) -> str | None:
        return self.statuses.get(application_id)

    def key(self, key_id: str, *, now: float | None = None) -> PartnerKey | None:
        key = self.keys.get(key_id)
        if key is None or not key.live(time.time() if now is None else now):
            return None
        return key

    def apply(self, event: EventContract) -> None:
        match event:
            case ApplicationApproved(application_id=app) | ApplicationReinstated(application_id=app):
                self.statuses[app] = "active"
            case ApplicationSuspended(application_id=app):
                self.statuses[app] = "suspended"
            case ApplicationRetired(application_id=app):
                self.statuses[app] = "retired"
            case SigningKeyRegistered():
                self._register(event)
            case SigningKeyRevoked(key_id=key_id, not_after=not_after):
                key = self.keys.get(key_id)
                if key is not None:
                    at = not_after.timestamp()
                    key.not_after = at if key.not_after is None else min(key.not_after, at)

    def _register(self, event: SigningKeyRegistered) -> None:
        if event.algorithm == "ed25519" and event.public_key:
            material = event.public_key.encode()
        elif event.algorithm == "hmac-sha256" and event.sealed_secret:
            try:
                material = self.sealer.unseal(event.sealed_secret)
            except InvalidToken:
                logger.error("hmac key sealed with another secret; check GATEWAY_PARTNER_KEY_SEALING_SECRET")
                return
        else:
            logger.warning("signing key event without key material skipped", extra={"key_id": event.key_id})
            return
        self.keys[event.key_id] = PartnerKey(
            key_id=event.key_id,
            client_id=event.client_id,
            application_id=event.application_id,
            algorithm=event.algorithm,
            environment=event.environment,
            material=material,
        )
