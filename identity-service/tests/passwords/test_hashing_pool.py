"""Argon2 hashing is bounded (issue 13 item 10): a login burst cannot take memory past concurrent x 19 MiB."""

from __future__ import annotations

import asyncio
import threading

from identity_service.passwords.hashing import PasswordHasher


class CountingHasher(PasswordHasher):
    """The real hasher, counting how many hashes run in threads at the same moment."""

    def __init__(self, **kwargs: int) -> None:
        super().__init__(**kwargs)
        self.running = 0
        self.most = 0
        self._lock = threading.Lock()

    def verify_now(self, password: str, password_hash: str | None) -> bool:
        with self._lock:
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            return super().verify_now(password, password_hash)
        finally:
            with self._lock:
                self.running -= 1


async def test_no_more_hashes_run_at_once_than_the_pool_allows() -> None:
    hasher = CountingHasher(memory_kib=8192, time_cost=2, parallelism=1, max_concurrent=2)
    stored = await hasher.hash("Hue-S#2026song")
    results = await asyncio.gather(*(hasher.verify("Hue-S#2026song", stored) for _ in range(12)))
    assert all(results)
    assert hasher.most == 2


async def test_without_a_bound_the_same_burst_runs_wider() -> None:
    """The counter can see overlap at all: with a wide pool the same burst runs more than two at once."""
    hasher = CountingHasher(memory_kib=19_456, time_cost=2, parallelism=1, max_concurrent=8)
    stored = await hasher.hash("Hue-S#2026song")
    await asyncio.gather(*(hasher.verify("Hue-S#2026song", stored) for _ in range(24)))
    assert hasher.most > 2
