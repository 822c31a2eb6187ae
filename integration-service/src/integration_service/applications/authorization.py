"""Who may see and change an application (Art. 13.1): its owner, and DIC reviewers (Art. 15.2)."""

from __future__ import annotations

from hues_shared.auth.principal import Principal, Role
from hues_shared.permissions import INTEGRATION_REVIEW
from hues_shared.problems import Forbidden, NotFound
from integration_service.applications.models import Application


def applicant_owner(principal: Principal) -> tuple[str, str]:
    """The owner of a new application: the organization account, or the agency admin's unit (Art. 10, 11)."""
    if principal.has_role(Role.ORGANIZATION) or principal.kind == "organization":
        return "organization", principal.account_id
    if principal.has_role(Role.AGENCY_ADMIN) and principal.unit_id:
        return "unit", principal.unit_id
    raise Forbidden(
        "Organization accounts and agency administrators propose integrations (Art. 10, 11).",
        slug="applicants-only",
    )


def owns(principal: Principal, application: Application) -> bool:
    if application.owner_kind == "organization":
        return application.owner_id == principal.account_id
    return principal.has_role(Role.AGENCY_ADMIN) and application.owner_id == principal.unit_id


def is_reviewer(principal: Principal) -> bool:
    """DIC reviewers hold the review permission platform-wide (a unit-scoped grant means nothing here)."""
    return principal.holds(INTEGRATION_REVIEW)


def ensure_visible(principal: Principal, application: Application | None) -> Application:
    """Art. 13.1: another organization's application does not exist for the caller (404, not 403)."""
    if application is None or not (owns(principal, application) or is_reviewer(principal)):
        raise NotFound("No such application.", slug="application-not-found")
    return application


def ensure_owner(principal: Principal, application: Application | None) -> Application:
    """Only the owner edits, submits or retires; a reviewer who is not the owner gets 403, others 404."""
    application = ensure_visible(principal, application)
    if not owns(principal, application):
        raise Forbidden("Only the applicant changes its application.", slug="applicant-only")
    return application
