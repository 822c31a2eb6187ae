"""The reporter's pseudonym: what handling units see instead of the account (reporter hidden from units)."""

import hashlib
import hmac


def reporter_pseudonym(*, key: str, account_id: str) -> str:
    """Stable per reporter (units can tell repeat reporters apart) and not reversible without the key."""
    digest = hmac.new(key.encode(), account_id.encode(), hashlib.sha256).hexdigest()
    return f"R-{digest[:12].upper()}"
