"""Standard Webhooks signatures (the `standardwebhooks` library): secrets, signed headers."""

from __future__ import annotations

import base64
import secrets
from datetime import datetime

from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """A fresh `whsec_<base64 of 32 random bytes>` secret (the format receivers' libraries expect)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signed_headers(secret: str, *, message_id: str, at: datetime, body: str) -> dict[str, str]:
    """webhook-id / webhook-timestamp / webhook-signature for `body` (the exact bytes sent)."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id=message_id, timestamp=at, data=body),
        "content-type": "application/json",
    }
