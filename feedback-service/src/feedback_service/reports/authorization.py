"""Who may see or act on a report (Art. 13.1: officers only within the units where they hold the right)."""

from __future__ import annotations

from feedback_service.reports.models import Report
from hues_shared.auth.principal import Principal, ensure_permission_in_unit
from hues_shared.permissions import REPORT_PROCESS, REPORT_TRIAGE
from hues_shared.problems import Forbidden, NotFound


def is_reporter(principal: Principal, report: Report) -> bool:
    return principal.account_id == report.reporter_account_id


def is_triage(principal: Principal) -> bool:
    """The IOC's triage right is city-wide (a bare grant)."""
    return principal.holds(REPORT_TRIAGE)


def is_handling_officer(principal: Principal, report: Report) -> bool:
    return report.unit_id is not None and principal.holds(REPORT_PROCESS, unit_id=report.unit_id)


def ensure_can_view(principal: Principal, report: Report, *, follower: bool = False) -> None:
    """The reporter, a follower, the IOC, or an officer of the assigned unit; everyone else gets 404
    (a private report's existence is not disclosed; public ones are read on the public feed)."""
    if (
        is_reporter(principal, report)
        or follower
        or is_triage(principal)
        or is_handling_officer(principal, report)
    ):
        return
    raise NotFound(f"No report {report.id}.")


def ensure_triage(principal: Principal) -> None:
    if not is_triage(principal):
        raise Forbidden("Only the IOC (city-wide feedback.report.triage) takes this step.")


def ensure_handling_officer(principal: Principal, report: Report) -> None:
    """Art. 13.1: acting on a report needs feedback.report.process within the report's assigned unit."""
    if report.unit_id is None:
        raise Forbidden("The report is not assigned to a unit.", slug="outside-unit")
    ensure_permission_in_unit(principal, REPORT_PROCESS, report.unit_id)


def ensure_reporter(principal: Principal, report: Report) -> None:
    if not is_reporter(principal, report):
        raise NotFound(f"No report {report.id}.")
