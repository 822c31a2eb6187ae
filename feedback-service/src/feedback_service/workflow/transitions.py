"""The report workflow as data: which step leads from which statuses to which, and who takes it.

submitted -> accepted | rejected (IOC) -> assigned -> acknowledged | returned (unit) -> in progress ->
resolved -> published (IOC) -> rated (reporter) -> reopened once if unsatisfied -> ... -> closed.
Pure: no session; the services apply it under a row lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from hues_shared.contracts.feedback import ReportStatus as S
from hues_shared.problems import Conflict


class Actor(StrEnum):
    TRIAGE = "triage"  # the IOC: feedback.report.triage
    UNIT = "unit"  # an officer holding feedback.report.process in the report's unit (Art. 13.1)
    REPORTER = "reporter"
    SYSTEM = "system"  # the deadline and settlement sweeps


@dataclass(frozen=True)
class Transition:
    step: str
    sources: frozenset[S]
    target: S
    actor: Actor


def _t(step: str, sources: set[S], target: S, actor: Actor) -> Transition:
    return Transition(step, frozenset(sources), target, actor)


HANDLING = {S.ASSIGNED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.REOPENED}
TRANSITIONS: dict[str, Transition] = {
    t.step: t
    for t in (
        _t("accept", {S.SUBMITTED}, S.ACCEPTED, Actor.TRIAGE),
        _t("reject", {S.SUBMITTED, S.RETURNED}, S.REJECTED, Actor.TRIAGE),
        _t("assign", {S.ACCEPTED, S.RETURNED}, S.ASSIGNED, Actor.TRIAGE),
        _t("transfer", HANDLING, S.ASSIGNED, Actor.TRIAGE),
        _t("acknowledge", {S.ASSIGNED}, S.ACKNOWLEDGED, Actor.UNIT),
        _t("return", {S.ASSIGNED}, S.RETURNED, Actor.UNIT),
        _t("start", {S.ACKNOWLEDGED, S.REOPENED}, S.IN_PROGRESS, Actor.UNIT),
        _t("resolve", {S.IN_PROGRESS}, S.RESOLVED, Actor.UNIT),
        _t("publish", {S.RESOLVED}, S.PUBLISHED, Actor.TRIAGE),
        _t("rate", {S.PUBLISHED}, S.RATED, Actor.REPORTER),
        _t("reopen", {S.RATED}, S.REOPENED, Actor.REPORTER),
        _t("close", {S.PUBLISHED, S.RATED}, S.CLOSED, Actor.TRIAGE),
        _t("settle", {S.PUBLISHED, S.RATED}, S.CLOSED, Actor.SYSTEM),
        _t("merge", {S.SUBMITTED, S.ACCEPTED}, S.MERGED, Actor.TRIAGE),
    )
}
# Steps a unit may ask more time for, and statuses whose deadline the overdue sweep watches.
EXTENDABLE = frozenset(HANDLING)


def next_status(step: str, current: str) -> S:
    """The status after `step`, or 409 when the report is not in a status the step starts from."""
    transition = TRANSITIONS[step]
    if current not in transition.sources:
        allowed = ", ".join(sorted(transition.sources))
        raise Conflict(
            f"Cannot {step} a report that is {current} (only from: {allowed}).",
            slug="invalid-transition",
            status_now=current,
        )
    return transition.target
