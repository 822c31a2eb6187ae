"""Applications and their review (Art. 10, 11, 15.2): create, edit, submit, decide, retire; each an event."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.auth.principal import Principal
from hues_shared.contracts import integration as contracts
from hues_shared.events.contracts import EventContract
from hues_shared.events.outbox import record_event
from hues_shared.pagination import Page, decode_cursor, encode_cursor
from hues_shared.problems import Conflict, ProblemError, UnprocessableContent
from hues_shared.sealing import Sealer
from hues_shared.types import utcnow
from integration_service.applications import repository
from integration_service.applications.authorization import (
    applicant_owner,
    ensure_owner,
    ensure_visible,
    is_reviewer,
)
from integration_service.applications.lifecycle import COMMENT_REQUIRED, Action, Status, next_status
from integration_service.applications.manifest import Manifest
from integration_service.applications.models import Application, ApplicationReview
from integration_service.applications.schemas import (
    ApplicationOut,
    ConformanceReportOut,
    ReviewOut,
    WebhookSecretOut,
)
from integration_service.db import tables
from integration_service.webhooks.signing import new_secret

EVENTS: dict[Action, type[contracts.ApplicationTransition]] = {
    Action.SUBMIT: contracts.ApplicationSubmitted,
    Action.REQUEST_CHANGES: contracts.ApplicationChangesRequested,
    Action.REJECT: contracts.ApplicationRejected,
    Action.SUSPEND: contracts.ApplicationSuspended,
    Action.REINSTATE: contracts.ApplicationReinstated,
    Action.RETIRE: contracts.ApplicationRetired,
}


def ensure_version(application: Application, if_match: str | None) -> None:
    """Optimistic concurrency for edits and decisions: a stale If-Match gets 412."""
    if if_match is not None and if_match.strip('W/"') != str(application.version):
        raise ProblemError(
            "The application changed since you read it; reload and retry.",
            status=412,
            slug="precondition-failed",
            title="Precondition failed",
        )


async def create_application(
    session: AsyncSession, *, manifest: Manifest, principal: Principal
) -> ApplicationOut:
    """Draft a new application owned by the caller's organization or unit (Art. 10, 11)."""
    owner_kind, owner_id = applicant_owner(principal)
    now = utcnow()
    application = await repository.create(
        session,
        application=Application(
            owner_kind=owner_kind,
            owner_id=owner_id,
            created_by=principal.account_id,
            status=Status.DRAFT,
            name=manifest.name.vi,
            manifest=manifest.model_dump(mode="json"),
            created_at=now,
            updated_at=now,
        ),
    )
    await _record(session, application, Action.CREATE, None, principal, comment=None, at=now)
    return ApplicationOut.model_validate(application)


async def get_applications(
    session: AsyncSession, *, principal: Principal, status: Status | None, cursor: str | None, limit: int
) -> Page[ApplicationOut]:
    """The caller's own applications; reviewers see every application (Art. 13.1, 15.2)."""
    owner = None if is_reviewer(principal) else applicant_owner(principal)
    after = decode_cursor(cursor)
    rows = await repository.get_all(
        session,
        owner=owner,
        status=status.value if status else None,
        after=(datetime.fromisoformat(after[0]), str(after[1])) if after else None,
        limit=limit + 1,
    )
    items = [ApplicationOut.model_validate(row) for row in rows[:limit]]
    next_cursor = (
        encode_cursor([rows[limit - 1].created_at.isoformat(), rows[limit - 1].id])
        if len(rows) > limit
        else None
    )
    return Page(items=items, next_cursor=next_cursor)


async def get_application(session: AsyncSession, *, application_id: str, principal: Principal) -> Application:
    return ensure_visible(principal, await repository.get(session, application_id=application_id))


async def update_manifest(
    session: AsyncSession,
    *,
    application_id: str,
    manifest: Manifest,
    principal: Principal,
    if_match: str | None,
) -> ApplicationOut:
    """The applicant edits its manifest while drafting or after changes were requested."""
    application = ensure_owner(
        principal, await repository.get(session, application_id=application_id, for_update=True)
    )
    ensure_version(application, if_match)
    application.status = next_status(application.status, Action.UPDATE)
    application.manifest = manifest.model_dump(mode="json")
    application.name = manifest.name.vi
    application.version += 1
    application.updated_at = utcnow()
    return ApplicationOut.model_validate(application)


async def submit_application(
    session: AsyncSession, *, application_id: str, principal: Principal, if_match: str | None
) -> ApplicationOut:
    """Send for DIC review; ApplicationSubmitted triggers the conformance check (outside this request)."""
    application = ensure_owner(
        principal, await repository.get(session, application_id=application_id, for_update=True)
    )
    ensure_version(application, if_match)
    previous = application.status
    application.status = next_status(previous, Action.SUBMIT)
    application.submitted_at = application.updated_at = utcnow()
    application.version += 1
    await _record(
        session, application, Action.SUBMIT, previous, principal, comment=None, at=application.updated_at
    )
    return ApplicationOut.model_validate(application)


async def decide(
    session: AsyncSession,
    *,
    application_id: str,
    action: Action,
    comment: str | None,
    principal: Principal,
    if_match: str | None,
) -> ApplicationOut:
    """A DIC reviewer's decision (Art. 15.2); approval needs a passed conformance report of this version."""
    application = ensure_visible(
        principal, await repository.get(session, application_id=application_id, for_update=True)
    )
    ensure_version(application, if_match)
    if action in COMMENT_REQUIRED and not (comment and comment.strip()):
        raise UnprocessableContent(
            f"A comment is required to {action.value.replace('_', ' ')}.", slug="comment-required"
        )
    previous = application.status
    application.status = next_status(previous, action)
    if action is Action.APPROVE:
        await _ensure_conformance_passed(session, application, same_version=True)
        application.sandbox_approved = True
    if action is Action.APPROVE_PRODUCTION:
        if application.production_approved:
            raise Conflict("Production is already approved.", slug="already-approved")
        await _ensure_conformance_passed(session, application, same_version=False)
        application.production_approved = True
    application.updated_at = utcnow()
    application.version += 1
    await _record(
        session, application, action, previous, principal, comment=comment, at=application.updated_at
    )
    return ApplicationOut.model_validate(application)


async def retire_application(
    session: AsyncSession, *, application_id: str, comment: str | None, principal: Principal
) -> ApplicationOut:
    """The owner (or a DIC reviewer) retires the application; its credentials stop working."""
    application = ensure_visible(
        principal, await repository.get(session, application_id=application_id, for_update=True)
    )
    if not is_reviewer(principal):
        application = ensure_owner(principal, application)
    previous = application.status
    application.status = next_status(previous, Action.RETIRE)
    application.updated_at = utcnow()
    application.version += 1
    await _record(
        session, application, Action.RETIRE, previous, principal, comment=comment, at=application.updated_at
    )
    return ApplicationOut.model_validate(application)


async def create_webhook_secret(
    session: AsyncSession, *, application_id: str, principal: Principal, sealer: Sealer
) -> WebhookSecretOut:
    """A new Standard Webhooks secret, shown once and stored sealed; the previous one stops signing."""
    application = ensure_owner(
        principal, await repository.get(session, application_id=application_id, for_update=True)
    )
    if application.status in (Status.RETIRED, Status.REJECTED):
        raise Conflict(f"The application is {application.status}.", slug="application-closed")
    secret = new_secret()
    application.webhook_secret_sealed = sealer.seal(secret.encode())
    application.updated_at = utcnow()
    return WebhookSecretOut(secret=secret)


async def get_history(session: AsyncSession, *, application_id: str, principal: Principal) -> list[ReviewOut]:
    """Every transition with its comment; the applicant sees the reviewers' comments (Art. 15.2)."""
    await get_application(session, application_id=application_id, principal=principal)
    return [
        ReviewOut.model_validate(r)
        for r in await repository.get_reviews(session, application_id=application_id)
    ]


async def get_conformance_report(
    session: AsyncSession, *, application_id: str, principal: Principal
) -> ConformanceReportOut:
    await get_application(session, application_id=application_id, principal=principal)
    report = await repository.get_latest_report(session, application_id=application_id)
    if report is None:
        raise ProblemError(
            "No conformance report yet; it runs after submission.", status=404, slug="no-report"
        )
    return ConformanceReportOut.model_validate(report)


async def _ensure_conformance_passed(
    session: AsyncSession, application: Application, *, same_version: bool
) -> None:
    """The latest report passed (and, for the first approval, checked exactly the version under review)."""
    report = await repository.get_latest_report(session, application_id=application.id)
    stale = report is not None and same_version and report.application_version != application.version
    if report is None or not report.passed or stale:
        raise Conflict(
            "The latest conformance check has not passed; request changes instead.",
            slug="conformance-not-passed",
        )


async def _record(
    session: AsyncSession,
    application: Application,
    action: Action,
    previous: str | None,
    principal: Principal,
    *,
    comment: str | None,
    at: datetime,
) -> None:
    """History row and event of one transition, in the same unit of work."""
    await repository.add_review(
        session,
        review=ApplicationReview(
            application_id=application.id,
            action=action,
            from_status=previous,
            to_status=application.status,
            actor_id=principal.account_id,
            comment=comment,
            at=at,
        ),
    )
    common = {
        "application_id": application.id,
        "owner_kind": application.owner_kind,
        "owner_id": application.owner_id,
        "actor_id": principal.account_id,
        "status": application.status,
        "comment": comment,
        "at": at,
    }
    event: EventContract
    if action is Action.CREATE:
        event = contracts.ApplicationCreated(**common, name=application.name)
    elif action in (Action.APPROVE, Action.APPROVE_PRODUCTION):
        environment = "production" if action is Action.APPROVE_PRODUCTION else "sandbox"
        event = contracts.ApplicationApproved(**common, environment=environment, name=application.name)
    else:
        event = EVENTS[action](**common)
    await record_event(session, tables, event)
