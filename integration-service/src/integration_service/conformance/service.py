"""Run the conformance check of a submitted application and store its report (Art. 15.2).

Called from the ApplicationSubmitted handler, after the submission committed: never inside a request.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.contracts.integration import ConformanceChecked
from hues_shared.events.outbox import record_event
from hues_shared.types import utcnow
from integration_service.applications import repository
from integration_service.applications.lifecycle import Status
from integration_service.applications.models import ConformanceReport
from integration_service.components import IntegrationComponents
from integration_service.conformance.probes import check_manifest
from integration_service.db import tables


async def check_application(
    session: AsyncSession, *, application_id: str, components: IntegrationComponents
) -> ConformanceReport | None:
    """Check the application as submitted; None when it is no longer awaiting review."""
    application = await repository.get(session, application_id=application_id)
    if application is None or application.status != Status.SUBMITTED:
        return None
    secret = (
        components.sealer.unseal(application.webhook_secret_sealed).decode()
        if application.webhook_secret_sealed
        else None
    )
    timeout = components.settings.conformance_timeout_seconds
    async with components.guard.client(timeout=timeout) as client:
        results = await check_manifest(
            application.manifest,
            application_id=application.id,
            guard=components.guard,
            client=client,
            webhook_secret=secret,
        )
    report = await repository.add_report(
        session,
        report=ConformanceReport(
            application_id=application.id,
            application_version=application.version,
            passed=all(r.passed for r in results),
            results=[r.model_dump(mode="json") for r in results],
            checked_at=utcnow(),
        ),
    )
    await record_event(
        session,
        tables,
        ConformanceChecked(
            application_id=application.id,
            report_id=report.id,
            passed=report.passed,
            failed_rules=sorted({r.rule for r in results if not r.passed}),
            checked_at=report.checked_at,
        ),
    )
    return report
