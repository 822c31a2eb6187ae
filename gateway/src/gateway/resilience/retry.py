"""When a failed upstream call may be sent again, and how long to wait first."""

from __future__ import annotations

import random

# RFC 9110, 9.2.2: these methods are idempotent, so a repeated request has the same effect as one.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


def may_retry(method: str, *, route_retry_safe: bool, body_replayable: bool) -> bool:
    """Retry only idempotent methods on routes that allow it, and only when the body can be sent again."""
    return route_retry_safe and body_replayable and method in IDEMPOTENT_METHODS


def backoff_seconds(attempt: int, *, base: float) -> float:
    """Full jitter (AWS architecture blog): spreads the retries of many clients instead of syncing them."""
    return random.uniform(0, base * (2**attempt))
