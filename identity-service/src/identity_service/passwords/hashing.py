"""Argon2id through the passlib API (libpass); hashing runs in a thread so the event loop stays free.

At most `max_concurrent` hashes run at once (issue 13 item 10): each holds `memory_kib` (19 MiB by
default) while it runs, so the pool bounds the memory a login burst can take (concurrent x 19 MiB) and
keeps the CPU for the requests already admitted; further logins wait their turn instead of thrashing.
"""

from __future__ import annotations

import asyncio
import os

from passlib.hash import argon2

# Verified when an account is unknown, so a miss costs as much time as a wrong password.
_DUMMY_PASSWORD = "hue-s timing equaliser"


class PasswordHasher:
    def __init__(
        self, *, memory_kib: int, time_cost: int, parallelism: int, max_concurrent: int | None = None
    ) -> None:
        self._scheme = argon2.using(
            type="ID", memory_cost=memory_kib, rounds=time_cost, parallelism=parallelism
        )
        self._dummy_hash = self._scheme.hash(_DUMMY_PASSWORD)
        self.max_concurrent = max_concurrent or os.cpu_count() or 1
        self._slots = asyncio.Semaphore(self.max_concurrent)

    def hash_now(self, password: str) -> str:
        """Blocking hash; for scripts and benchmarks."""
        return str(self._scheme.hash(password))

    async def hash(self, password: str) -> str:
        async with self._slots:
            return await asyncio.to_thread(self.hash_now, password)

    def verify_now(self, password: str, password_hash: str | None) -> bool:
        if password_hash is None:
            self._scheme.verify(password, self._dummy_hash)
            return False
        try:
            return bool(self._scheme.verify(password, password_hash))
        except (ValueError, TypeError):
            return False

    async def verify(self, password: str, password_hash: str | None) -> bool:
        """False for a wrong password or a missing hash (after the same amount of work)."""
        async with self._slots:
            return await asyncio.to_thread(self.verify_now, password, password_hash)

    def needs_rehash(self, password_hash: str) -> bool:
        """True when the hash was made with weaker parameters than today's settings."""
        return bool(self._scheme.needs_update(password_hash))
