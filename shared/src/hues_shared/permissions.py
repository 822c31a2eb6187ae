"""The catalogue of function permissions the DIC grants (Art. 15.1), declared here by each service."""

from __future__ import annotations

from dataclasses import dataclass

# Account kinds (identity's AccountKind) a permission may be granted to.
CITIZEN, ORGANIZATION, STAFF = "citizen", "organization", "staff"
STAFF_ONLY = frozenset({STAFF})


@dataclass(frozen=True)
class FunctionPermission:
    code: str
    service: str
    description: str
    holders: frozenset[str] | None = None  # account kinds that may hold it; None: any kind

    def may_be_held_by(self, kind: str) -> bool:
        return self.holders is None or kind in self.holders


_CATALOGUE: dict[str, FunctionPermission] = {}


def declare(code: str, *, service: str, description: str, holders: frozenset[str] | None = None) -> str:
    """Declare a permission once; returns its code so modules can keep it as a constant.

    `holders` names the account kinds (citizen, organization, staff) a grant may go to; identity
    refuses a grant to any other kind. Without it, any kind may hold the permission.
    """
    if code in _CATALOGUE:
        raise ValueError(f"permission {code} declared twice")
    _CATALOGUE[code] = FunctionPermission(code, service, description, holders)
    return code


def get(code: str) -> FunctionPermission | None:
    return _CATALOGUE.get(code)


def catalogue() -> list[FunctionPermission]:
    return sorted(_CATALOGUE.values(), key=lambda p: p.code)


def is_known(code: str) -> bool:
    return code in _CATALOGUE


# platform operations (any service)
DEAD_LETTERS_MANAGE = declare(
    "platform.deadletter.manage",
    service="platform",
    description="List and replay dead-lettered events",
    holders=STAFF_ONLY,
)
# identity-service
ACCOUNTS_ADMINISTER = declare(
    "identity.account.administer",
    service="identity-service",
    description="Search, lock, unlock, reset and close user accounts (Art. 13.2)",
    holders=STAFF_ONLY,
)
PERMISSIONS_GRANT = declare(
    "identity.permission.grant",
    service="identity-service",
    description="Grant and revoke function permissions",
    holders=STAFF_ONLY,
)
UNITS_MANAGE = declare(
    "identity.unit.manage",
    service="identity-service",
    description="Create and update units",
    holders=STAFF_ONLY,
)
STAFF_MANAGE = declare(
    "identity.staff.manage",
    service="identity-service",
    description="Create staff accounts and assign roles",
    holders=STAFF_ONLY,
)
AUDIT_READ = declare(
    "identity.audit.read",
    service="identity-service",
    description="Read the security audit log (Art. 13.2)",
    holders=STAFF_ONLY,
)
SIGNING_KEYS_ROTATE = declare(
    "identity.signing_key.rotate",
    service="identity-service",
    description="Rotate the token signing key now",
    holders=STAFF_ONLY,
)
# integration-service
INTEGRATION_REVIEW = declare(
    "integration.application.review",
    service="integration-service",
    description="Review partner integration applications (Art. 15.2)",
)
# feedback-service
REPORT_PROCESS = declare(
    "feedback.report.process", service="feedback-service", description="Handle citizen reports of one's unit"
)
REPORT_TRIAGE = declare(
    "feedback.report.triage", service="feedback-service", description="Route citizen reports to units (IOC)"
)
STATISTICS_EXPORT = declare(
    "feedback.statistics.export",
    service="feedback-service",
    description="Export per-unit report statistics as CSV for the DIC's reports (Art. 15.3)",
)
# notification-service
ALERT_PUBLISH = declare(
    "notification.alert.publish", service="notification-service", description="Publish warnings to citizens"
)
NOTICE_PUBLISH = declare(
    "notification.notice.publish", service="notification-service", description="Publish notices to citizens"
)
# catalog-service
OFFERING_MANAGE = declare(
    "catalog.offering.manage",
    service="catalog-service",
    description="Manage the offerings and profile of one's own provider (Art. 13.1; unit-scoped)",
)
PROVIDER_MANAGE = declare(
    "catalog.provider.manage",
    service="catalog-service",
    description="Create providers for agencies, set the verified mark, suspend and reinstate (DIC)",
)
CATALOG_MODERATE = declare(
    "catalog.content.moderate",
    service="catalog-service",
    description="Moderate offerings and reviews, handle abuse reports (IOC, Art. 12.2, 17.2)",
)
