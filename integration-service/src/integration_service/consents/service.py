"""Citizens' consents to partner applications (Law 91/2025): grant for the stated purpose, see, revoke;
every grant and revocation an event; partners' calls for a citizen's data need an active consent.

Consent records live here, beside the applications whose manifests state the purposes (docs/integration.md).
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.auth.principal import Principal, Role
from hues_shared.contracts.integration import PERSONAL_DATA_SCOPES, ConsentGranted, ConsentRevoked
from hues_shared.events.outbox import record_event
from hues_shared.problems import Conflict, Forbidden, NotFound, UnprocessableContent
from hues_shared.types import utcnow
from integration_service.applications import repository as applications
from integration_service.applications.lifecycle import Status
from integration_service.applications.manifest import Manifest
from integration_service.applications.models import Application
from integration_service.consents import repository
from integration_service.consents.models import Consent
from integration_service.consents.schemas import (
    ConsentCheckOut,
    ConsentExportOut,
    ConsentIn,
    ConsentOut,
    ConsentRequestOut,
)
from integration_service.db import tables


async def _active_application(session: AsyncSession, application_id: str) -> tuple[Application, Manifest]:
    application = await applications.get(session, application_id=application_id)
    if application is None or application.status != Status.ACTIVE:
        raise NotFound("No such active application.", slug="application-not-found")
    return application, Manifest.model_validate(application.manifest)


def _ensure_citizen(principal: Principal) -> None:
    if not principal.has_role(Role.CITIZEN):
        raise Forbidden(
            "Consents are given by citizens for their own data (Law 91/2025).", slug="citizens-only"
        )


async def get_consent_request(session: AsyncSession, *, application_id: str) -> ConsentRequestOut:
    """What an active application asks a citizen for, and why (the consent screen)."""
    application, manifest = await _active_application(session, application_id)
    return ConsentRequestOut(
        application_id=application.id,
        name=manifest.name,
        description=manifest.description,
        scopes=sorted(set(manifest.requested_scopes) & PERSONAL_DATA_SCOPES),
        personal_data=manifest.personal_data,
        support_email=manifest.support.email,
    )


async def grant_consent(session: AsyncSession, *, data: ConsentIn, principal: Principal) -> ConsentOut:
    _ensure_citizen(principal)
    application, manifest = await _active_application(session, data.application_id)
    allowed = set(manifest.requested_scopes) & PERSONAL_DATA_SCOPES
    if not set(data.scopes) <= allowed:
        raise UnprocessableContent(
            f"The application did not ask for: {', '.join(sorted(set(data.scopes) - allowed))}.",
            slug="scope-not-requested",
        )
    if await repository.get_active(session, account_id=principal.account_id, application_id=application.id):
        raise Conflict(
            "You already consented to this application; revoke it first to change it.", slug="consent-exists"
        )
    consent = Consent(
        id=str(uuid.uuid4()),
        account_id=principal.account_id,
        application_id=application.id,
        scopes=sorted(set(data.scopes)),
        fields=[p.field for p in manifest.personal_data],
        purpose="; ".join(f"{p.field}: {p.purpose}" for p in manifest.personal_data)
        or manifest.description.vi,
        granted_at=utcnow(),
    )
    await repository.add(session, consent=consent)
    await record_event(
        session,
        tables,
        ConsentGranted(
            consent_id=consent.id,
            account_id=consent.account_id,
            application_id=consent.application_id,
            scopes=consent.scopes,
            fields=consent.fields,
            purpose=consent.purpose,
            granted_at=consent.granted_at,
        ),
    )
    return ConsentOut.model_validate(consent)


async def get_consents(session: AsyncSession, *, principal: Principal) -> list[ConsentOut]:
    return [
        ConsentOut.model_validate(c)
        for c in await repository.get_all(session, account_id=principal.account_id)
    ]


async def revoke_consent(session: AsyncSession, *, consent_id: str, principal: Principal) -> ConsentOut:
    consent = await repository.get(session, consent_id=consent_id)
    if consent is None or consent.account_id != principal.account_id:
        raise NotFound("No such consent.", slug="consent-not-found")
    if consent.revoked_at is None:
        await _revoke(session, consent, by="citizen")
    return ConsentOut.model_validate(consent)


async def revoke_all_for_account(session: AsyncSession, *, account_id: str) -> int:
    """The account closed: every active consent ends (partners are told through the events)."""
    active = await repository.get_active(session, account_id=account_id)
    for consent in active:
        await _revoke(session, consent, by="account-closed")
    return len(active)


async def _revoke(session: AsyncSession, consent: Consent, *, by: str) -> None:
    consent.revoked_at, consent.revoked_by = utcnow(), by
    await record_event(
        session,
        tables,
        ConsentRevoked(
            consent_id=consent.id,
            account_id=consent.account_id,
            application_id=consent.application_id,
            revoked_at=consent.revoked_at,
        ),
    )


async def export_consents(session: AsyncSession, *, principal: Principal) -> ConsentExportOut:
    """Integration's part of the citizen's data export (Law 91/2025)."""
    return ConsentExportOut(
        account_id=principal.account_id,
        consents=await get_consents(session, principal=principal),
        exported_at=utcnow(),
    )


async def check_consent(
    session: AsyncSession, *, account_id: str, application_id: str, scope: str
) -> ConsentCheckOut:
    """A partner's call for a citizen's data: the citizen's active consent for this application and scope."""
    for consent in await repository.get_active(session, account_id=account_id, application_id=application_id):
        if scope in consent.scopes:
            return ConsentCheckOut(
                account_id=account_id,
                application_id=application_id,
                scopes=consent.scopes,
                fields=consent.fields,
                purpose=consent.purpose,
                granted_at=consent.granted_at,
            )
    raise Forbidden(
        "The citizen has not consented to this application for this scope (Law 91/2025).",
        slug="consent-required",
    )
