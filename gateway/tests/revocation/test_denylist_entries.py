"""Denylist entries never shrink: a second revocation or a reload from Redis keeps the later bound
(killers of mutants that survived `make mutation`, docs/testing.md)."""

from __future__ import annotations

from datetime import UTC, datetime

from hues_shared.auth.denylist import Denylist


def at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def test_revoking_a_session_again_earlier_keeps_the_later_forget_time() -> None:
    denylist = Denylist(ttl_seconds=100)
    assert denylist.revoke_session("s-1", at=at(2_000)) == 2_100
    denylist.revoke_session("s-1", at=at(1_000))
    assert denylist.purge(now=2_050) == 0  # still held until 2_100
    assert denylist.refusal({"sid": "s-1", "sub": "a"}) == "session-revoked"
    assert denylist.purge(now=2_100) == 1  # forgotten exactly at its forget time


def test_session_loaded_from_the_store_is_refused_and_forgotten_on_time() -> None:
    denylist = Denylist(ttl_seconds=100)
    denylist.load_session("s-2", 500.0)
    denylist.load_session("s-2", 400.0)
    assert denylist.refusal({"sid": "s-2", "sub": "a"}) == "session-revoked"
    assert denylist.purge(now=450) == 0
    assert denylist.purge(now=500) == 1 and denylist.refusal({"sid": "s-2", "sub": "a"}) is None


def test_not_before_loaded_from_the_store_refuses_older_tokens_and_keeps_the_later_bound() -> None:
    denylist = Denylist(ttl_seconds=100)
    denylist.load_not_before("a-1", 1_000, 5_000.0)
    denylist.load_not_before("a-1", 900, 4_000.0)
    assert denylist.refusal({"sub": "a-1", "iat": 999}) == "token-revoked"
    assert denylist.refusal({"sub": "a-1", "iat": 1_000}) is None
    assert denylist.refusal({"sub": "a-2", "iat": 1}) is None
    assert denylist.purge(now=4_500) == 0
    assert denylist.purge(now=5_000) == 1


def test_lock_refuses_the_same_second_but_not_the_next() -> None:
    denylist = Denylist(ttl_seconds=100)
    denylist.refuse_issued_before("a-1", at=at(1_000), same_second=True)
    assert denylist.refusal({"sub": "a-1", "iat": 1_000}) == "token-revoked"
    assert denylist.refusal({"sub": "a-1", "iat": 1_001}) is None


def test_session_revocation_takes_precedence_over_the_account_bound() -> None:
    denylist = Denylist(ttl_seconds=100)
    denylist.revoke_session("s-3", at=at(1_000))
    denylist.refuse_issued_before("a-3", at=at(1_000), same_second=False)
    assert denylist.refusal({"sid": "s-3", "sub": "a-3", "iat": 10}) == "session-revoked"
    assert denylist.refusal({"sid": "other", "sub": "a-3", "iat": 10}) == "token-revoked"


def test_purge_without_a_time_uses_the_clock() -> None:
    """The listener purges on a timer with no argument: entries of tokens still alive stay."""
    denylist = Denylist(ttl_seconds=900)
    denylist.revoke_session("s-4", at=datetime.now(UTC))
    denylist.load_session("s-old", 1.0)
    assert denylist.purge() == 1
    assert denylist.refusal({"sid": "s-4", "sub": "a"}) == "session-revoked"
