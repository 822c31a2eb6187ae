"""Secrets sealed at rest and on the event bus (Fernet: AES-128-CBC + HMAC-SHA256, from `cryptography`).

integration-service seals the shared keys it must be able to use again (webhook signing secrets, hmac
request-signing keys); the gateway unseals the hmac keys it receives in integration's events. Both hold
the same sealing secret (INTEGRATION_KEY_SEALING_SECRET / GATEWAY_PARTNER_KEY_SEALING_SECRET).
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken

__all__ = ["InvalidToken", "Sealer"]


class Sealer:
    def __init__(self, secret: str) -> None:
        if len(secret) < 16:
            raise ValueError("the sealing secret must be at least 16 characters")
        key = base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest())
        self._fernet = Fernet(key)

    def seal(self, plain: bytes) -> str:
        return self._fernet.encrypt(plain).decode()

    def unseal(self, sealed: str) -> bytes:
        """The plain bytes; raises InvalidToken when sealed with another secret or tampered with."""
        return self._fernet.decrypt(sealed.encode())
