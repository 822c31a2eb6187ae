"""Refusals whose bookkeeping (failure counters, attempts, audit rows) must still be committed."""

from __future__ import annotations

from hues_shared.problems import ProblemError


class RecordedRefusal(ProblemError):
    """Raised by a service after it recorded the failure; the route returns it (via
    `hues_shared.problems.response_for`) instead of re-raising, so the unit of work commits the counters."""
