"""In-memory denylist of the gateway and of every service: revoked sessions and per-account "not before"
times, each forgotten after the longest access-token lifetime (by then every token it could refuse has
expired anyway)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any


class Denylist:
    """Checked on every request, so lookups are two dict reads; writes come from identity's events."""

    def __init__(self, *, ttl_seconds: float) -> None:
        self.ttl_seconds = ttl_seconds
        self._sessions: dict[str, float] = {}  # sid -> forget-at (epoch seconds)
        self._not_before: dict[str, tuple[int, float]] = {}  # account id -> (min iat, forget-at)

    def __len__(self) -> int:
        return len(self._sessions) + len(self._not_before)

    def forget_at(self, at: datetime) -> float:
        return at.timestamp() + self.ttl_seconds

    def revoke_session(self, session_id: str, *, at: datetime) -> float:
        """Refuse every token of one session (logout, refresh-token reuse, admin). Returns forget-at."""
        forget_at = self.forget_at(at)
        self._sessions[session_id] = max(forget_at, self._sessions.get(session_id, 0.0))
        return forget_at

    def refuse_issued_before(self, account_id: str, *, at: datetime, same_second: bool) -> tuple[int, float]:
        """Refuse the account's tokens issued before `at` (lock, close, password change, grant revoked).

        `iat` has whole seconds: with same_second=True a token minted in the event's second is refused too
        (lock, close: no new token can follow); with False it passes, so the token issued right after a
        password change or a role change is not refused for a second.
        """
        threshold = int(at.timestamp()) + (1 if same_second else 0)
        forget_at = self.forget_at(at)
        current = self._not_before.get(account_id)
        if current is not None:
            threshold, forget_at = max(threshold, current[0]), max(forget_at, current[1])
        self._not_before[account_id] = (threshold, forget_at)
        return threshold, forget_at

    def load_session(self, session_id: str, forget_at: float) -> None:
        self._sessions[session_id] = max(forget_at, self._sessions.get(session_id, 0.0))

    def load_not_before(self, account_id: str, threshold: int, forget_at: float) -> None:
        current = self._not_before.get(account_id, (0, 0.0))
        self._not_before[account_id] = (max(threshold, current[0]), max(forget_at, current[1]))

    def refusal(self, claims: Mapping[str, Any]) -> str | None:
        """Why these (already verified) claims must be refused, or None when they are still good."""
        if self._sessions:
            sid = claims.get("sid")
            if sid is not None and sid in self._sessions:
                return "session-revoked"
        if self._not_before:
            entry = self._not_before.get(str(claims.get("sub")))
            if entry is not None and int(claims.get("iat", 0)) < entry[0]:
                return "token-revoked"
        return None

    def purge(self, *, now: float | None = None) -> int:
        """Drop entries older than the longest token lifetime; returns how many were dropped."""
        now = time.time() if now is None else now
        stale_sessions = [k for k, forget_at in self._sessions.items() if forget_at <= now]
        stale_accounts = [k for k, (_, forget_at) in self._not_before.items() if forget_at <= now]
        for key in stale_sessions:
            del self._sessions[key]
        for key in stale_accounts:
            del self._not_before[key]
        return len(stale_sessions) + len(stale_accounts)
