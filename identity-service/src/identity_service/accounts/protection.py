"""Personal data at rest (Law 91/2025, Art. 9.2): AES-GCM encryption, a keyed blind index, and masking."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

CIPHERTEXT_VERSION = "v1"


def decode_key(value: str, *, name: str) -> bytes:
    """A 32-byte key given as URL-safe base64 (how the settings carry it)."""
    try:
        key = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"{name} is not valid base64") from exc
    if len(key) != 32:
        raise ValueError(f"{name} must decode to 32 bytes")
    return key


class PersonalDataCipher:
    """Encrypts one field of one account; the account id and field name are bound as associated data."""

    def __init__(self, *, encryption_key: bytes, blind_index_key: bytes) -> None:
        self._aead = AESGCM(encryption_key)
        self._index_key = blind_index_key

    def encrypt(self, plaintext: str | None, *, field: str, owner_id: str) -> str | None:
        if plaintext is None:
            return None
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, plaintext.encode(), f"{field}:{owner_id}".encode())
        return f"{CIPHERTEXT_VERSION}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def decrypt(self, ciphertext: str | None, *, field: str, owner_id: str) -> str | None:
        if ciphertext is None:
            return None
        version, _, body = ciphertext.partition(":")
        if version != CIPHERTEXT_VERSION:
            raise ValueError(f"unknown ciphertext version {version!r}")
        raw = base64.urlsafe_b64decode(body)
        return self._aead.decrypt(raw[:12], raw[12:], f"{field}:{owner_id}".encode()).decode()

    def blind_index(self, kind: str, normalized: str) -> str:
        """Keyed HMAC so equal values can be found without storing them; useless without the key."""
        return hmac.new(self._index_key, f"{kind}:{normalized}".encode(), hashlib.sha256).hexdigest()


def mask_document(number: str | None) -> str | None:
    """Only the last three characters stay visible (Art. 13.2: the DIC never sees a full number)."""
    if number is None:
        return None
    return "*" * max(len(number) - 3, 3) + number[-3:]


def mask_phone(phone: str | None) -> str | None:
    if phone is None:
        return None
    return phone[:3] + "*" * (len(phone) - 5) + phone[-2:]


def mask_email(email: str | None) -> str | None:
    if email is None:
        return None
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"
