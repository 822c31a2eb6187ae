"""A bound on requests in flight (overall and per upstream): beyond it, 503 now beats a collapse later."""

from __future__ import annotations


class Bulkhead:
    """A non-blocking counter: try_enter() fails instead of queueing, so overload never builds a backlog."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.in_flight = 0

    def try_enter(self) -> bool:
        if self.in_flight >= self.limit:
            return False
        self.in_flight += 1
        return True

    def leave(self) -> None:
        self.in_flight -= 1
