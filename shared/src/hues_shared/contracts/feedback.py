"""Events published by feedback-service (citizens' reports, Art. 6.3, 12.2, 13.1, 16.3).

One topic, `feedback.report`, keyed by report id so a report's events stay in order.

Every status change is a `ReportEvent` carrying what an inbox message needs: the report id, its public
title (never the description), the new status, the unit and time. `recipient_account_ids` (the
reporter and the followers of merged duplicates) is filled ONLY on status changes the reporter is told
of; internal events (extension requests and decisions, overdue/escalation, urgent alerts to a ward's
officers) leave it empty. Handling units never see a reporter's account id in the API; the event
carries it for notification-service alone (docs/feedback.md).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from hues_shared.events.contracts import EventContract, contract

PRODUCER = "feedback-service"
REPORT_TOPIC = "feedback.report"


class ReportStatus(StrEnum):
    """The workflow of a report (issue 11); Open311 maps everything before `closed` to open."""

    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    ASSIGNED = "assigned"
    ACKNOWLEDGED = "acknowledged"
    RETURNED = "returned"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    PUBLISHED = "published"
    RATED = "rated"
    REOPENED = "reopened"
    CLOSED = "closed"
    MERGED = "merged"


class ReportEvent(EventContract):
    """Common fields of the report events (not published by itself)."""

    report_id: str
    public_title: str
    status: str
    category_code: str
    ward_code: str
    unit_id: str | None = None
    urgent: bool = False
    occurred_at: datetime
    recipient_account_ids: list[str] = Field(default_factory=list)


@contract(type="hues.feedback.report.submitted", topic=REPORT_TOPIC, key="report_id", producer=PRODUCER)
class ReportSubmitted(ReportEvent):
    """A citizen submitted a report (Art. 6.3); it waits for IOC triage until `due_at`."""

    is_public: bool
    suggested_unit_id: str | None = None
    due_at: datetime


@contract(type="hues.feedback.report.accepted", topic=REPORT_TOPIC, key="report_id", producer=PRODUCER)
class ReportAccepted(ReportEvent):
    """The IOC accepted the report for handling."""


@contract(type="hues.feedback.report.rejected", topic=REPORT_TOPIC, key="report_id", producer=PRODUCER)
class ReportRejected(ReportEvent):
    """The IOC rejected the report, with a reason the reporter reads."""

    reason: str


@contract(type="hues.feedback.report.assigned", topic=REPORT_TOPIC, key="report_id", producer=PRODUCER)
class ReportAssigned(ReportEvent):
    """The report was assigned (or transferred, `transferred_from_unit_id` set) to a handling unit."""

    unit_name: str
    due_at: datetime
    transferred_from_unit_id: str | None = None


@contract(type="hues.feedback.report.acknowledged", topic=REPORT_TOPIC, key="report_id", producer=PRODUCER)
class ReportAcknowledged(ReportEvent):
    """The assigned unit took the report on."""


@contract(type="hues.feedback.report.returned", topic=REPORT_TOPIC, key="report_id", producer=PRODUCER)
class ReportReturned(ReportEvent):
    """The assigned unit returned the report to the IOC as not theirs (`unit_id` = the returning unit)."""

    reason: str


@contract(type="hues.feedback.report.work_started", topic=REPORT_TOPIC, key="report_id", producer=PRODUCER)
class ReportWorkStarted(ReportEvent):
    """The unit started handling the report."""


@contract(type="hues.feedback.report.resolved", topic=REPORT_TOPIC, key="report_id", producer=PRODUCER)
class ReportResolved(ReportEvent):
    """The unit resolved the report; `on_time` against the (possibly extended) deadline, Art. 12.2."""

    result: str
    on_time: bool
    working_hours_taken: float


@contract(type="hues.feedback.report.published", topic=REPORT_TOPIC, key="report_id", producer=PRODUCER)
class ReportPublished(ReportEvent):
    """The IOC published the outcome (on the public feed when the report is public, Art. 6.3)."""

    is_public: bool


@contract(type="hues.feedback.report.rated", topic=REPORT_TOPIC, key="report_id", producer=PRODUCER)
class ReportRated(ReportEvent):
    """The reporter rated the outcome (satisfaction, Art. 16.3)."""

    satisfied: bool
    score: int


@contract(type="hues.feedback.report.reopened", topic=REPORT_TOPIC, key="report_id", producer=PRODUCER)
class ReportReopened(ReportEvent):
    """An unsatisfied reporter reopened the report (once, within 7 days); the same unit handles it again."""

    due_at: datetime


@contract(type="hues.feedback.report.closed", topic=REPORT_TOPIC, key="report_id", producer=PRODUCER)
class ReportClosed(ReportEvent):
    """The report is closed for good."""


@contract(type="hues.feedback.report.merged", topic=REPORT_TOPIC, key="report_id", producer=PRODUCER)
class ReportMerged(ReportEvent):
    """Triage merged this duplicate into `into_report_id`; its reporter now follows that report."""

    into_report_id: str


@contract(
    type="hues.feedback.report.extension_requested", topic=REPORT_TOPIC, key="report_id", producer=PRODUCER
)
class ReportExtensionRequested(ReportEvent):
    """The handling unit asked the IOC for more working hours (internal: no recipients)."""

    extension_id: str
    hours: int
    reason: str


@contract(
    type="hues.feedback.report.extension_decided", topic=REPORT_TOPIC, key="report_id", producer=PRODUCER
)
class ReportExtensionDecided(ReportEvent):
    """The IOC approved or refused an extension; `due_at` is the deadline now in force."""

    extension_id: str
    approved: bool
    due_at: datetime


@contract(type="hues.feedback.report.deadline_passed", topic=REPORT_TOPIC, key="report_id", producer=PRODUCER)
class ReportDeadlinePassed(ReportEvent):
    """A deadline passed without the step done: escalated to the IOC (`escalated_to`), Art. 12.2."""

    stage: str  # triage | handling
    due_at: datetime
    escalated_to: str = "ioc"


@contract(type="hues.feedback.report.urgent_raised", topic=REPORT_TOPIC, key="report_id", producer=PRODUCER)
class UrgentReportRaised(ReportEvent):
    """An urgent report: notify at once the officers of the units of its ward (`ward_unit_ids`)."""

    ward_unit_ids: list[str]
