"""The review lifecycle of an application (Art. 15.2), as pure rules: which action moves which status.

draft -> submitted -> changes_requested -> submitted -> active (approved) -> suspended -> active
-> retired; submitted -> rejected. Rejected and retired are final.
"""

from __future__ import annotations

from enum import StrEnum

from hues_shared.problems import Conflict


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    ACTIVE = "active"  # approved: credentials issued, calls accepted
    SUSPENDED = "suspended"
    RETIRED = "retired"
    REJECTED = "rejected"


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    SUBMIT = "submit"
    REQUEST_CHANGES = "request_changes"
    APPROVE = "approve"
    APPROVE_PRODUCTION = "approve_production"
    REJECT = "reject"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    RETIRE = "retire"


# action -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[Action, tuple[frozenset[Status], Status]] = {
    Action.UPDATE: (frozenset({Status.DRAFT, Status.CHANGES_REQUESTED}), Status.DRAFT),
    Action.SUBMIT: (frozenset({Status.DRAFT, Status.CHANGES_REQUESTED}), Status.SUBMITTED),
    Action.REQUEST_CHANGES: (frozenset({Status.SUBMITTED}), Status.CHANGES_REQUESTED),
    Action.APPROVE: (frozenset({Status.SUBMITTED}), Status.ACTIVE),
    Action.APPROVE_PRODUCTION: (frozenset({Status.ACTIVE}), Status.ACTIVE),
    Action.REJECT: (frozenset({Status.SUBMITTED}), Status.REJECTED),
    Action.SUSPEND: (frozenset({Status.ACTIVE}), Status.SUSPENDED),
    Action.REINSTATE: (frozenset({Status.SUSPENDED}), Status.ACTIVE),
    Action.RETIRE: (frozenset({Status.ACTIVE, Status.SUSPENDED, Status.DRAFT}), Status.RETIRED),
}
REVIEWER_ACTIONS = frozenset(
    {
        Action.REQUEST_CHANGES,
        Action.APPROVE,
        Action.APPROVE_PRODUCTION,
        Action.REJECT,
        Action.SUSPEND,
        Action.REINSTATE,
    }
)
COMMENT_REQUIRED = frozenset({Action.REQUEST_CHANGES, Action.REJECT, Action.SUSPEND})


def next_status(current: str, action: Action) -> Status:
    """The status `action` leads to from `current`, or 409 naming what is allowed."""
    allowed_from, target = TRANSITIONS[action]
    if Status(current) not in allowed_from:
        starts = ", ".join(sorted(allowed_from))
        raise Conflict(
            f"Cannot {action.value.replace('_', ' ')} an application that is {current} (from: {starts}).",
            slug="invalid-application-transition",
            status_now=current,
        )
    # An edit of a changes_requested application keeps it there until resubmitted.
    if action is Action.UPDATE:
        return Status(current)
    return target
