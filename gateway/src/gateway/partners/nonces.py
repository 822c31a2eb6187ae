"""Single-use nonces of signed requests (connection standard, s. 6: each nonce once in 10 minutes).

Shared by every replica through Redis when configured (SET NX PX); in memory otherwise (embedded mode).
"""

from __future__ import annotations

import time
from typing import Protocol

from redis.asyncio import Redis


class NonceStore(Protocol):
    async def first_use(self, key: str, *, ttl_seconds: int) -> bool:
        """Record `key`; True the first time within `ttl_seconds`, False on a replay."""
        ...


class MemoryNonces:
    def __init__(self, *, max_entries: int = 200_000) -> None:
        self.max_entries = max_entries
        self._seen: dict[str, float] = {}  # key -> expires at (monotonic)

    async def first_use(self, key: str, *, ttl_seconds: int) -> bool:
        now = time.monotonic()
        expires = self._seen.get(key)
        if expires is not None and expires > now:
            return False
        if len(self._seen) >= self.max_entries:
            self._seen = {k: e for k, e in self._seen.items() if e > now}
        self._seen[key] = now + ttl_seconds
        return True


class RedisNonces:
    def __init__(self, redis: Redis, *, prefix: str) -> None:
        self.redis = redis
        self.prefix = f"{prefix}:nonce:"

    async def first_use(self, key: str, *, ttl_seconds: int) -> bool:
        return bool(await self.redis.set(self.prefix + key, "1", nx=True, ex=ttl_seconds))
