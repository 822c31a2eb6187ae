"""Apply a route's rate-limit class to one caller and describe the outcome in the IETF RateLimit headers.

Header format: draft-ietf-httpapi-ratelimit-headers (structured fields), e.g.
`RateLimit-Policy: "login.address.60s";q=10;w=60` and `RateLimit: "login.address.60s";r=3;t=42`.

Issue 14, item 6: counters per identifier (the login name or phone in the body) with a higher per-address
ceiling, so one carrier-NAT address is not one budget; answers listed in the class's `refund_statuses`
(validation failures that never reached the expensive path) give their hit back; `rate_limit_scale`
multiplies every amount (10 by default in development, so exploring does not lock a developer out).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from gateway.policies.access import Caller
from gateway.ratelimit.counters import CounterStore
from gateway.routing.table import LimitSpec, Route, RouteTable
from hues_shared.problems import ProblemError


@dataclass(frozen=True)
class _Limit:
    policy: str  # the policy's name in the headers
    key: str  # account | address | client | identifier
    amount: int
    window_seconds: int
    field: str | None = None


@dataclass(frozen=True)
class LimitOutcome:
    allowed: bool
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    retry_after: int | None = None
    policy: str | None = None
    counted: tuple[str, ...] = ()  # counter keys hit, for a refund


ALLOWED = LimitOutcome(allowed=True)
_SEPARATORS = re.compile(r"[\s.\-()]")


def _compile(class_name: str, spec: LimitSpec, scale: float) -> _Limit:
    item = spec.item
    window = int(item.get_expiry())
    amount = max(1, int(item.amount * scale))
    return _Limit(f"{class_name}.{spec.key}.{window}s", spec.key, amount, window, spec.field)


def normalise_identifier(value: str) -> str:
    """One spelling per person: case, spaces and separators ignored; +84 phone prefix as 0."""
    compact = _SEPARATORS.sub("", value.strip().lower())
    if compact.startswith("+84"):
        compact = "0" + compact[3:]
    return compact


def body_field(body: bytes, content_type: str | None, name: str) -> str | None:
    """A top-level field of a form-encoded or JSON body (None when absent or unreadable)."""
    try:
        if content_type and content_type.startswith("application/x-www-form-urlencoded"):
            values = parse_qs(body.decode("utf-8"), max_num_fields=50).get(name)
            return values[0] if values else None
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    value = document.get(name) if isinstance(document, dict) else None
    return value if isinstance(value, str) and value else None


def identifiers_in(body: bytes, content_type: str | None, fields: list[str]) -> dict[str, str]:
    found = {name: body_field(body, content_type, name) for name in fields}
    return {name: value for name, value in found.items() if value}


class RateLimiter:
    def __init__(
        self, table: RouteTable, store: CounterStore, *, enabled: bool = True, scale: float = 1.0
    ) -> None:
        self.store = store
        self.enabled = enabled
        self._classes = {
            name: [_compile(name, s, scale) for s in cls.limits] for name, cls in table.rate_limits.items()
        }
        self._refunds = {name: cls.refund_statuses for name, cls in table.rate_limits.items()}

    def identifier_fields(self, route: Route) -> list[str]:
        """Body fields this route's class counts by (the body must be read before `check`)."""
        if not self.enabled:
            return []
        return [limit.field for limit in self._classes[route.rate_limit] if limit.field]

    async def check(
        self, route: Route, *, caller: Caller, address: str, identifiers: dict[str, str] | None = None
    ) -> LimitOutcome:
        """Count this request against every applicable limit of the route's class."""
        if not self.enabled:
            return ALLOWED
        identities = {"account": caller.account_id, "address": address, "client": caller.client_id}
        applicable = []
        for limit in self._classes[route.rate_limit]:
            if limit.key == "identifier":
                raw = (identifiers or {}).get(limit.field or "")
                who = hashlib.sha256(normalise_identifier(raw).encode()).hexdigest()[:24] if raw else None
            else:
                who = identities[limit.key]
            if who:
                applicable.append((limit, who))
        if not applicable:
            return ALLOWED
        keys = [f"{limit.policy}:{who}" for limit, who in applicable]
        counts = await self.store.hit(
            [(key, limit.window_seconds * 1000) for key, (limit, _) in zip(keys, applicable, strict=True)]
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
        return LimitOutcome(True, headers, counted=tuple(keys))

    async def settle(self, route: Route, outcome: LimitOutcome, status: int) -> None:
        """Give the hits back when the upstream's answer shows the expensive path was not reached."""
        if outcome.counted and status in self._refunds.get(route.rate_limit, ()):
            await self.store.refund(outcome.counted)


def rate_limited(retry_after: int, headers: list[tuple[bytes, bytes]]) -> ProblemError:
    all_headers = {k.decode(): v.decode() for k, v in headers}
    all_headers["Retry-After"] = str(retry_after)
    return ProblemError(
        f"Too many requests; retry in {retry_after} s.",
        status=429,
        slug="rate-limited",
        title="Too many requests",
        headers=all_headers,
        retry_after=retry_after,
    )
