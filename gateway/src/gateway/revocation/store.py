"""Denylist entries mirrored in Redis, so a replica that (re)starts knows past revocations at once."""

from __future__ import annotations

import logging
import time

from redis.asyncio import Redis

from hues_shared.auth.denylist import Denylist

logger = logging.getLogger(__name__)

# Keep the larger "not before" if two replicas (or two events) race; expire with the entry.
_MAX_NOT_BEFORE = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local wanted = tonumber(ARGV[1])
if wanted > current then redis.call('SET', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
"""


class RedisRevocationStore:
    def __init__(self, redis: Redis, *, prefix: str) -> None:
        self.redis = redis
        self.session_prefix = f"{prefix}:revoked:sid:"
        self.account_prefix = f"{prefix}:revoked:nbf:"
        self._max_not_before = redis.register_script(_MAX_NOT_BEFORE)

    async def save_session(self, session_id: str, forget_at: float) -> None:
        ttl_ms = int((forget_at - time.time()) * 1000)
        if ttl_ms > 0:
            await self.redis.set(self.session_prefix + session_id, "1", px=ttl_ms)

    async def save_not_before(self, account_id: str, threshold: int, forget_at: float) -> None:
        ttl_ms = int((forget_at - time.time()) * 1000)
        if ttl_ms > 0:
            await self._max_not_before(keys=[self.account_prefix + account_id], args=[threshold, ttl_ms])

    async def load_into(self, denylist: Denylist) -> int:
        """Copy every live entry into the in-memory denylist; returns how many were loaded."""
        loaded = 0
        now = time.time()
        for prefix in (self.session_prefix, self.account_prefix):
            async for key in self.redis.scan_iter(match=prefix + "*", count=1000):
                name = key.decode() if isinstance(key, bytes) else str(key)
                async with self.redis.pipeline(transaction=False) as pipe:
                    pipe.get(name)
                    pipe.pttl(name)
                    value, ttl_ms = await pipe.execute()
                if value is None or ttl_ms is None or ttl_ms <= 0:
                    continue
                forget_at = now + ttl_ms / 1000
                if prefix == self.session_prefix:
                    denylist.load_session(name[len(prefix) :], forget_at)
                else:
                    denylist.load_not_before(name[len(prefix) :], int(value), forget_at)
                loaded += 1
        return loaded
