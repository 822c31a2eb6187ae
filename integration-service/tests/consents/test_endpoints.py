"""Citizens' consents (Law 91/2025): grant for the stated purpose, see, revoke, export; partners need one."""

from typing import Any

from fastapi import FastAPI

from hues_shared.contracts.identity import AccountClosed
from hues_shared.contracts.integration import ConsentGranted, ConsentRevoked
from hues_shared.events.outbox import envelope_for
from hues_shared.testing.events import outbox_events
from hues_shared.types import utcnow

PERSONAL = {
    "requested_scopes": ["citizen.profile.read", "partner.connection.check"],
    "personal_data": [{"field": "citizen.phone", "purpose": "Gửi giờ xe buýt / send bus times by SMS"}],
}


async def _active(onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any) -> str:
    return str(await onboarding.approved(partner_manifest(**PERSONAL), partner[0]))


async def _grant(onboarding: Any, application_id: str, citizen: str = "citizen-1") -> Any:
    headers = {"Authorization": f"Bearer {onboarding.people.keys.token(sub=citizen)}"}
    return await onboarding.service.client.post(
        "/v1/me/consents",
        json={"application_id": application_id, "scopes": ["citizen.profile.read"]},
        headers=headers,
    )


def _citizen(onboarding: Any, citizen: str = "citizen-1") -> dict[str, str]:
    return {"Authorization": f"Bearer {onboarding.people.keys.token(sub=citizen)}"}


async def test_the_consent_screen_shows_each_field_and_purpose(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    application_id = await _active(onboarding, partner, partner_manifest)
    screen = await onboarding.service.client.get(
        f"/v1/applications/{application_id}/consent-request", headers=_citizen(onboarding)
    )
    assert screen.json()["scopes"] == ["citizen.profile.read"]
    assert screen.json()["personal_data"][0]["field"] == "citizen.phone"


async def test_a_citizen_grants_sees_and_revokes_a_consent_and_each_is_an_event(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    application_id = await _active(onboarding, partner, partner_manifest)
    granted = await _grant(onboarding, application_id)
    assert granted.status_code == 201 and "bus times" in granted.json()["purpose"]
    listed = await onboarding.service.client.get("/v1/me/consents", headers=_citizen(onboarding))
    assert [c["id"] for c in listed.json()] == [granted.json()["id"]]
    revoked = await onboarding.service.client.delete(
        f"/v1/me/consents/{granted.json()['id']}", headers=_citizen(onboarding)
    )
    assert revoked.json()["revoked_by"] == "citizen"
    assert len(await outbox_events(onboarding.service.runtime, ConsentGranted)) == 1
    assert len(await outbox_events(onboarding.service.runtime, ConsentRevoked)) == 1


async def test_the_export_includes_consents_and_revocations(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    application_id = await _active(onboarding, partner, partner_manifest)
    granted = await _grant(onboarding, application_id)
    await onboarding.service.client.delete(
        f"/v1/me/consents/{granted.json()['id']}", headers=_citizen(onboarding)
    )
    export = await onboarding.service.client.get("/v1/me/export", headers=_citizen(onboarding))
    [consent] = export.json()["consents"]
    assert consent["application_id"] == application_id and consent["revoked_at"] is not None


async def test_a_scope_the_application_did_not_ask_for_is_refused(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    application_id = await onboarding.approved(partner_manifest(), partner[0])  # no personal-data scope
    response = await _grant(onboarding, application_id)
    assert response.status_code == 422 and response.json()["type"].endswith("/scope-not-requested")


async def test_consent_to_an_application_that_is_not_active_is_refused(
    onboarding: Any, partner_manifest: Any
) -> None:
    draft = await onboarding.draft(partner_manifest(**PERSONAL))
    assert (await _grant(onboarding, draft["id"])).status_code == 404


async def test_only_citizens_consent(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    application_id = await _active(onboarding, partner, partner_manifest)
    response = await onboarding.service.client.post(
        "/v1/me/consents",
        json={"application_id": application_id, "scopes": ["citizen.profile.read"]},
        headers=onboarding.people.organization(),
    )
    assert response.status_code == 403


async def test_another_citizen_cannot_revoke_my_consent(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    application_id = await _active(onboarding, partner, partner_manifest)
    granted = await _grant(onboarding, application_id)
    response = await onboarding.service.client.delete(
        f"/v1/me/consents/{granted.json()['id']}", headers=_citizen(onboarding, "citizen-2")
    )
    assert response.status_code == 404


async def test_a_partner_reads_a_citizens_consent_only_while_it_is_active(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any
) -> None:
    application_id = await _active(onboarding, partner, partner_manifest)
    client = onboarding.service.client
    issued = (
        await client.post(
            f"/v1/applications/{application_id}/clients", json={}, headers=onboarding.people.organization()
        )
    ).json()
    token = (
        await client.post(
            "/v1/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": issued["client_id"],
                "client_secret": issued["client_secret"],
            },
        )
    ).json()["access_token"]
    partner_headers = {"Authorization": f"Bearer {token}"}
    before = await client.get("/v1/partner/consents/citizen-1", headers=partner_headers)
    assert before.status_code == 403 and before.json()["type"].endswith("/consent-required")
    granted = await _grant(onboarding, application_id)
    during = await client.get("/v1/partner/consents/citizen-1", headers=partner_headers)
    assert during.status_code == 200 and during.json()["fields"] == ["citizen.phone"]
    await client.delete(f"/v1/me/consents/{granted.json()['id']}", headers=_citizen(onboarding))
    after = await client.get("/v1/partner/consents/citizen-1", headers=partner_headers)
    assert after.status_code == 403


async def test_closing_the_account_revokes_its_consents(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any, wait: Any
) -> None:
    application_id = await _active(onboarding, partner, partner_manifest)
    await _grant(onboarding, application_id)
    closed = AccountClosed(account_id="citizen-1", closed_at=utcnow())
    await onboarding.service.runtime.bus.publish([envelope_for(closed, source="/hues/identity-service")])

    async def revoked() -> list[ConsentRevoked]:
        return await outbox_events(onboarding.service.runtime, ConsentRevoked)

    [event] = await wait(revoked)
    assert event.account_id == "citizen-1" and event.application_id == application_id


async def test_the_application_receives_the_revocation_by_webhook(
    onboarding: Any, partner: tuple[FastAPI, str], partner_manifest: Any, wait: Any
) -> None:
    app, url = partner
    application_id = await _active(onboarding, partner, partner_manifest)
    await onboarding.subscribe(application_id, f"{url}/webhooks", ConsentRevoked.event_type)
    granted = await _grant(onboarding, application_id)
    await onboarding.service.client.delete(
        f"/v1/me/consents/{granted.json()['id']}", headers=_citizen(onboarding)
    )

    async def received() -> list[dict[str, Any]]:
        return [r for r in app.state.received if r["payload"]["type"] == ConsentRevoked.event_type]

    [delivery] = await wait(received)
    assert delivery["payload"]["data"]["consent_id"] == granted.json()["id"]
