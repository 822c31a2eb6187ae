"""Apply a route's rate-limit class to one caller and describe the outcome in the IETF RateLimit headers.

Header format: draft-ietf-httpapi-ratelimit-headers (structured fields), e.g.
`RateLimit-Policy: "login.address.60s";q=10;w=60` and `RateLimit: "login.address.60s";r=3;t=42`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from gateway.policies.access import Caller
from gateway.ratelimit.counters import CounterStore
from gateway.routing.table import LimitSpec, Route, RouteTable


@dataclass(frozen=True)
class _Limit:
    policy: str  # the policy's name in the headers
    key: str  # account | address | client
    amount: int
    window_seconds: int


@dataclass(frozen=True)
class LimitOutcome:
    allowed: bool
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    retry_after: int | None = None
    policy: str | None = None


ALLOWED = LimitOutcome(allowed=True)


def _compile(class_name: str, spec: LimitSpec) -> _Limit:
    item = spec.item
    window = int(item.get_expiry())
    return _Limit(f"{class_name}.{spec.key}.{window}s", spec.key, int(item.amount), window)


class RateLimiter:
    def __init__(self, table: RouteTable, store: CounterStore, *, enabled: bool = True) -> None:
        self.store = store
        self.enabled = enabled
        self._classes = {
            name: [_compile(name, s) for s in cls.limits] for name, cls in table.rate_limits.items()
        }

    async def check(self, route: Route, *, caller: Caller, address: str) -> LimitOutcome:
        """Count this request against every applicable limit of the route's class."""
        if not self.enabled:
            return ALLOWED
        identities = {"account": caller.account_id, "address": address, "client": caller.client_id}
        applicable = [(limit, identities[limit.key]) for limit in self._classes[route.rate_limit]]
        applicable = [(limit, who) for limit, who in applicable if who]
        if not applicable:
            return ALLOWED
        counts = await self.store.hit(
            [(f"{limit.policy}:{who}", limit.window_seconds * 1000) for limit, who in applicable]
        )
        tightest: tuple[int, int, _Limit] | None = None  # (remaining, reset seconds, limit)
        exceeded: list[tuple[int, _Limit]] = []
        for (limit, _), (count, reset_ms) in zip(applicable, counts, strict=True):
            reset = max(1, math.ceil(reset_ms / 1000))
            remaining = max(0, limit.amount - count)
            if count > limit.amount:
                exceeded.append((reset, limit))
            if tightest is None or remaining < tightest[0]:
                tightest = (remaining, reset, limit)
        assert tightest is not None
        policies = ", ".join(
            f'"{limit.policy}";q={limit.amount};w={limit.window_seconds}' for limit, _ in applicable
        )
        if exceeded:
            reset, limit = max(exceeded, key=lambda e: e[0])
            state = f'"{limit.policy}";r=0;t={reset}'
        else:
            reset, limit = tightest[1], tightest[2]
            state = f'"{limit.policy}";r={tightest[0]};t={reset}'
        headers = [(b"ratelimit-policy", policies.encode()), (b"ratelimit", state.encode())]
        if exceeded:
            return LimitOutcome(False, headers, retry_after=reset, policy=limit.policy)
        return LimitOutcome(True, headers)
