"""The circuit breaker opens after consecutive failures, probes half-open, and closes on success."""

from __future__ import annotations

import time

import pytest

from gateway.resilience.breaker import CircuitBreaker, CircuitOpen, CircuitState


def breaker() -> CircuitBreaker:
    return CircuitBreaker("feedback", failure_threshold=3, open_seconds=0.2)


def test_opens_after_consecutive_failures_only() -> None:
    b = breaker()
    for _ in range(2):
        b.before_call()
        b.record_failure()
    b.before_call()
    b.record_success()  # a success resets the count
    for _ in range(2):
        b.before_call()
        b.record_failure()
    assert b.state is CircuitState.CLOSED
    b.before_call()
    b.record_failure()
    assert b.state is CircuitState.OPEN
    with pytest.raises(CircuitOpen):
        b.before_call()


def test_half_open_lets_one_probe_through_and_closes_on_its_success() -> None:
    b = breaker()
    for _ in range(3):
        b.record_failure()
    time.sleep(0.25)
    b.before_call()
    assert b.state is CircuitState.HALF_OPEN
    with pytest.raises(CircuitOpen):
        b.before_call()  # only one probe at a time
    b.record_success()
    assert b.state is CircuitState.CLOSED
    b.before_call()


def test_failed_probe_opens_the_circuit_again() -> None:
    b = breaker()
    for _ in range(3):
        b.record_failure()
    time.sleep(0.25)
    b.before_call()
    b.record_failure()
    assert b.state is CircuitState.OPEN
    with pytest.raises(CircuitOpen):
        b.before_call()
