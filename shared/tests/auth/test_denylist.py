"""Denylist entries last exactly as long as a token they could refuse."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from hues_shared.auth.denylist import Denylist


def test_entries_are_forgotten_after_the_longest_token_lifetime() -> None:
    denylist = Denylist(ttl_seconds=60)
    at = datetime.now(UTC)
    denylist.revoke_session("s-1", at=at)
    denylist.refuse_issued_before("a-1", at=at, same_second=False)
    assert len(denylist) == 2
    assert denylist.purge(now=time.time() + 30) == 0
    assert denylist.purge(now=time.time() + 61) == 2


def test_not_before_only_moves_forward() -> None:
    denylist = Denylist(ttl_seconds=600)
    denylist.refuse_issued_before("a-1", at=datetime.fromtimestamp(2_000, UTC), same_second=False)
    denylist.refuse_issued_before("a-1", at=datetime.fromtimestamp(1_000, UTC), same_second=False)
    assert denylist.refusal({"sub": "a-1", "iat": 1_500}) == "token-revoked"
    assert denylist.refusal({"sub": "a-1", "iat": 2_000}) is None
