"""Events published by integration-service (partner systems under the connection standard, Art. 5, 15.2).

Topics per aggregate: `integration.application` (key application_id) for the review lifecycle,
`integration.credential` (key application_id) for client secrets and signing keys, `integration.webhook`
(key subscription_id) for webhook deliveries, `integration.consent` (key account_id) for citizens'
consents (Law 91/2025). The gateway consumes the application and credential
events to refuse a suspended application or a revoked key within seconds (gateway/partners/).
"""

from __future__ import annotations

from datetime import datetime

from hues_shared.events.contracts import EventContract, contract

PRODUCER = "integration-service"
APPLICATION_TOPIC = "integration.application"
CREDENTIAL_TOPIC = "integration.credential"
WEBHOOK_TOPIC = "integration.webhook"
CONSENT_TOPIC = "integration.consent"


class ApplicationTransition(EventContract):
    """What every lifecycle event of an application carries (not an event itself)."""

    application_id: str
    owner_kind: str  # organization | unit
    owner_id: str
    actor_id: str
    status: str  # the status after the transition
    comment: str | None = None
    at: datetime


@contract(
    type="hues.integration.application.created",
    topic=APPLICATION_TOPIC,
    key="application_id",
    producer=PRODUCER,
)
class ApplicationCreated(ApplicationTransition):
    """An organization or agency drafted an integration application (Art. 10, 11); status draft."""

    name: str


@contract(
    type="hues.integration.application.submitted",
    topic=APPLICATION_TOPIC,
    key="application_id",
    producer=PRODUCER,
)
class ApplicationSubmitted(ApplicationTransition):
    """The applicant submitted the application for DIC review (Art. 15.2); the conformance check runs next."""


@contract(
    type="hues.integration.application.conformance_checked",
    topic=APPLICATION_TOPIC,
    key="application_id",
    producer=PRODUCER,
)
class ConformanceChecked(EventContract):
    """The automated conformance check of a submitted application finished; `passed` says how."""

    application_id: str
    report_id: str
    passed: bool
    failed_rules: list[str]
    checked_at: datetime


@contract(
    type="hues.integration.application.changes_requested",
    topic=APPLICATION_TOPIC,
    key="application_id",
    producer=PRODUCER,
)
class ApplicationChangesRequested(ApplicationTransition):
    """A DIC reviewer asked the applicant for changes, with a comment; the applicant edits and resubmits."""


@contract(
    type="hues.integration.application.approved",
    topic=APPLICATION_TOPIC,
    key="application_id",
    producer=PRODUCER,
)
class ApplicationApproved(ApplicationTransition):
    """A DIC reviewer approved the application for an environment (sandbox first, production after a
    second approval); the application is active there. `name` is the application's Vietnamese name as
    approved (optional: events recorded before it was added lack it); catalog-service names the new
    provider with it."""

    environment: str  # sandbox | production
    name: str | None = None


@contract(
    type="hues.integration.application.rejected",
    topic=APPLICATION_TOPIC,
    key="application_id",
    producer=PRODUCER,
)
class ApplicationRejected(ApplicationTransition):
    """A DIC reviewer rejected the application, with a comment; final."""


@contract(
    type="hues.integration.application.suspended",
    topic=APPLICATION_TOPIC,
    key="application_id",
    producer=PRODUCER,
)
class ApplicationSuspended(ApplicationTransition):
    """The DIC suspended an active application; the gateway refuses its calls within seconds."""


@contract(
    type="hues.integration.application.reinstated",
    topic=APPLICATION_TOPIC,
    key="application_id",
    producer=PRODUCER,
)
class ApplicationReinstated(ApplicationTransition):
    """The DIC lifted a suspension; the application is active again."""


@contract(
    type="hues.integration.application.retired",
    topic=APPLICATION_TOPIC,
    key="application_id",
    producer=PRODUCER,
)
class ApplicationRetired(ApplicationTransition):
    """The application was retired by its owner or the DIC; its credentials stop working. Final."""


@contract(
    type="hues.integration.client.issued", topic=CREDENTIAL_TOPIC, key="application_id", producer=PRODUCER
)
class ClientSecretIssued(EventContract):
    """A client secret was issued (on approval or rotation); the secret itself never leaves the service."""

    application_id: str
    client_id: str
    secret_id: str
    environment: str
    issued_at: datetime


@contract(
    type="hues.integration.client.revoked", topic=CREDENTIAL_TOPIC, key="application_id", producer=PRODUCER
)
class ClientSecretRevoked(EventContract):
    """A client secret stops working at `not_after` (now when revoked, later when rotated with overlap)."""

    application_id: str
    client_id: str
    secret_id: str
    not_after: datetime
    revoked_at: datetime


@contract(
    type="hues.integration.signing_key.registered",
    topic=CREDENTIAL_TOPIC,
    key="application_id",
    producer=PRODUCER,
)
class SigningKeyRegistered(EventContract):
    """A request-signing key (RFC 9421) is registered for an application's client.

    ed25519: `public_key` is the PEM public key. hmac-sha256: `sealed_secret` is the shared key sealed
    (Fernet) with the key-sealing secret only integration-service and the gateway hold, so the topic never
    carries a usable secret.
    """

    application_id: str
    client_id: str
    key_id: str
    algorithm: str  # ed25519 | hmac-sha256
    environment: str  # sandbox | production
    public_key: str | None = None
    sealed_secret: str | None = None
    registered_at: datetime


@contract(
    type="hues.integration.signing_key.revoked",
    topic=CREDENTIAL_TOPIC,
    key="application_id",
    producer=PRODUCER,
)
class SigningKeyRevoked(EventContract):
    """A signing key stops verifying at `not_after` (now when revoked, after an overlap when rotated)."""

    application_id: str
    key_id: str
    not_after: datetime
    revoked_at: datetime


@contract(
    type="hues.integration.webhook.disabled", topic=WEBHOOK_TOPIC, key="subscription_id", producer=PRODUCER
)
class WebhookSubscriptionDisabled(EventContract):
    """A webhook subscription was disabled after persistent delivery failure; a notice to the owner."""

    subscription_id: str
    application_id: str
    owner_kind: str
    owner_id: str
    url: str
    failed_since: datetime
    disabled_at: datetime


@contract(type="hues.integration.consent.granted", topic=CONSENT_TOPIC, key="account_id", producer=PRODUCER)
class ConsentGranted(EventContract):
    """A citizen granted an application access to personal-data scopes for its stated purpose
    (Law 91/2025); services holding those data may serve the application's calls for this citizen."""

    consent_id: str
    account_id: str
    application_id: str
    scopes: list[str]
    fields: list[str]
    purpose: str
    granted_at: datetime


@contract(type="hues.integration.consent.revoked", topic=CONSENT_TOPIC, key="account_id", producer=PRODUCER)
class ConsentRevoked(EventContract):
    """A citizen (or the closing of the account) revoked a consent; the application's access ends now."""

    consent_id: str
    account_id: str
    application_id: str
    revoked_at: datetime


# Scopes a partner application may request (connection standard v1.1, section 4). The gateway's
# `machine` routes name the scope they need (routes.toml `require_any_scope`); a webhook event type is
# deliverable only to applications holding its scope.
PARTNER_SCOPES: dict[str, str] = {
    "partner.connection.check": "Call the connection-check route (signed request round trip)",
    "integration.application.read": "Read one's own application and receive its lifecycle webhooks",
    "feedback.report.read": "Receive and read citizen reports assigned to the owner's unit",
    "catalog.offering.write": "Publish offerings into the public catalogue (data feed)",
    "citizen.profile.read": "Read a consenting citizen's profile fields (needs consent, Law 91/2025)",
}

# Webhook event types and the scope each needs.
WEBHOOK_EVENT_SCOPES: dict[str, str] = {
    ApplicationApproved.event_type: "integration.application.read",
    ApplicationSuspended.event_type: "integration.application.read",
    ApplicationReinstated.event_type: "integration.application.read",
    ApplicationRetired.event_type: "integration.application.read",
    ConsentGranted.event_type: "citizen.profile.read",
    ConsentRevoked.event_type: "citizen.profile.read",
}
# Scopes that reach a citizen's personal data: a call needs that citizen's active consent (Law 91/2025).
PERSONAL_DATA_SCOPES = frozenset({"citizen.profile.read"})
