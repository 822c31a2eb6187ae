"""Circuit breaker per upstream: stop sending traffic to an upstream that keeps failing, probe, recover."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from enum import IntEnum


class CircuitState(IntEnum):
    CLOSED = 0
    HALF_OPEN = 1
    OPEN = 2


class CircuitOpen(Exception):
    """The upstream is considered down; answer 503 at once instead of waiting on it."""

    def __init__(self, upstream: str, *, retry_after: int) -> None:
        super().__init__(f"circuit open for {upstream}")
        self.upstream = upstream
        self.retry_after = retry_after


class CircuitBreaker:
    """Opens after `failure_threshold` consecutive failures; after `open_seconds` one request probes
    (half-open); its success closes the circuit, its failure opens it again for another period."""

    def __init__(
        self,
        upstream: str,
        *,
        failure_threshold: int,
        open_seconds: float,
        on_change: Callable[[str, CircuitState], None] | None = None,
    ) -> None:
        self.upstream = upstream
        self.failure_threshold = failure_threshold
        self.open_seconds = open_seconds
        self.on_change = on_change
        self.state = CircuitState.CLOSED
        self.failures = 0
        self.opened_at = 0.0
        self._probe_in_flight = False

    def _set(self, state: CircuitState) -> None:
        if state is not self.state:
            self.state = state
            if self.on_change is not None:
                self.on_change(self.upstream, state)

    def before_call(self) -> None:
        """Let the call through or raise CircuitOpen."""
        if self.state is CircuitState.CLOSED:
            return
        now = time.monotonic()
        if self.state is CircuitState.OPEN:
            wait = self.opened_at + self.open_seconds - now
            if wait > 0:
                raise CircuitOpen(self.upstream, retry_after=max(1, math.ceil(wait)))
            self._set(CircuitState.HALF_OPEN)
        if self._probe_in_flight:
            raise CircuitOpen(self.upstream, retry_after=1)
        self._probe_in_flight = True

    def record_success(self) -> None:
        self.failures = 0
        self._probe_in_flight = False
        self._set(CircuitState.CLOSED)

    def record_failure(self) -> None:
        self.failures += 1
        self._probe_in_flight = False
        if self.state is CircuitState.HALF_OPEN or self.failures >= self.failure_threshold:
            self.opened_at = time.monotonic()
            self._set(CircuitState.OPEN)

    def record_abandoned(self) -> None:
        """The call ended without a verdict (the client went away): free the probe slot."""
        self._probe_in_flight = False
