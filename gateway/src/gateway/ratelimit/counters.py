"""Fixed-window counters: in memory (embedded mode) or in Redis, shared by all replicas (distributed)."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Protocol

from redis.asyncio import Redis

logger = logging.getLogger(__name__)

# One round trip per request: count the hit, start the window on the first hit, report time to reset.
_HIT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
"""

# Give one hit back, never below zero, keeping the window's expiry.
_REFUND = """
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then redis.call('DECR', KEYS[1]) end
return 1
"""

Hit = tuple[str, int]  # (key, window in milliseconds)
Count = tuple[int, int]  # (hits in the window so far, milliseconds until the window resets)


class CounterStore(Protocol):
    async def hit(self, hits: Sequence[Hit]) -> list[Count]: ...
    async def refund(self, keys: Sequence[str]) -> None: ...
    async def ping(self) -> None: ...
    async def close(self) -> None: ...


class MemoryCounters:
    """Counters of one process; fine for the embedded mode where there is one gateway."""

    def __init__(self, *, max_keys: int = 200_000) -> None:
        self.max_keys = max_keys
        self._windows: dict[str, tuple[int, float]] = {}  # key -> (count, window end, monotonic)

    async def hit(self, hits: Sequence[Hit]) -> list[Count]:
        now = time.monotonic()
        results = []
        for key, window_ms in hits:
            count, ends = self._windows.get(key, (0, 0.0))
            if ends <= now:
                count, ends = 0, now + window_ms / 1000
            count += 1
            self._windows[key] = (count, ends)
            results.append((count, max(0, int((ends - now) * 1000))))
        if len(self._windows) > self.max_keys:
            self._purge(now)
        return results

    async def refund(self, keys: Sequence[str]) -> None:
        for key in keys:
            count, ends = self._windows.get(key, (0, 0.0))
            if count > 0:
                self._windows[key] = (count - 1, ends)

    def _purge(self, now: float) -> None:
        for key in [k for k, (_, ends) in self._windows.items() if ends <= now]:
            del self._windows[key]

    async def ping(self) -> None:
        return None

    async def close(self) -> None:
        return None


class RedisCounters:
    """Shared counters; if Redis fails the request is counted locally instead (limits stay, per replica)."""

    def __init__(self, redis: Redis, *, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix + ":rl:"
        self._script = redis.register_script(_HIT)
        self._refund = redis.register_script(_REFUND)
        self._fallback = MemoryCounters()

    async def hit(self, hits: Sequence[Hit]) -> list[Count]:
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for key, window_ms in hits:
                    await self._script(keys=[self.prefix + key], args=[window_ms], client=pipe)
                results = await pipe.execute()
            return [(int(count), int(ttl)) for count, ttl in results]
        except Exception as exc:
            logger.warning(
                "redis rate-limit counters unavailable; counting locally", extra={"error": repr(exc)}
            )
            return await self._fallback.hit(hits)

    async def refund(self, keys: Sequence[str]) -> None:
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for key in keys:
                    await self._refund(keys=[self.prefix + key], client=pipe)
                await pipe.execute()
        except Exception as exc:
            logger.warning("could not refund rate-limit hits", extra={"error": repr(exc)})
        await self._fallback.refund(keys)

    async def ping(self) -> None:
        await self.redis.ping()

    async def close(self) -> None:
        await self.redis.aclose()
