"""Registration of citizens (Art. 7) and organizations (Art. 8) through the API."""

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from jose import jwt

from hues_shared.contracts.identity import AccountRegistered
from hues_shared.testing.events import outbox_events
from identity_service.accounts.models import Account
from identity_service.testing import CITIZEN_CCCD, PASSWORD, IdentityDriver, backdate

ORGANIZATION = {
    "name": "Công ty TNHH Ánh Dương",
    "organization_kind": "enterprise",
    "tax_code": "0100109106",
    "representative_name": "Lê Văn Cường",
    "email": "lienhe@anhduong.vn",
    "password": PASSWORD,
}


async def test_citizen_registration_creates_a_pending_account_and_sends_a_code(api: IdentityDriver) -> None:
    body = api.citizen_body()
    response = await api.client.post("/v1/accounts/citizens", json=body)
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["status"] == "pending_verification"
    assert result["verification"]["destination"] == "090*****" + body["phone"][-2:]
    await api.delivered()
    assert api.console.last_to(body["phone"]) is not None
    events = await outbox_events(api.service.runtime, AccountRegistered)
    assert [e.account_id for e in events] == [result["account_id"]]
    assert events[0].kind == "citizen"


NOTICE = "co nguoi vua thu dang ky"


def assert_alike(fresh: Any, probe: Any, probe_phone: str) -> None:
    """A probe with taken identifiers gets what a new registration gets (Art. 18; issue 7, item 16)."""
    assert fresh.status_code == probe.status_code == 201, probe.text
    assert fresh.json().keys() == probe.json().keys()
    assert probe.json()["status"] == "pending_verification"
    assert probe.json()["verification"]["destination"] == "090*****" + probe_phone[-2:]


async def test_registering_a_taken_document_answers_like_a_new_registration(api: IdentityDriver) -> None:
    owner = await api.active_citizen()
    fresh = await api.register_citizen(document={"type": "cmnd", "number": "191234567"})
    body = api.citizen_body(full_name="Someone Else", document={"type": "cccd", "number": "046 085 001 234"})
    probe = await api.client.post("/v1/accounts/citizens", json=body)
    assert_alike(fresh, probe, body["phone"])
    await api.delivered()
    assert api.console.last_to(body["phone"]) is None  # no code for the prober
    notice = api.console.last_to(owner["phone"])
    assert notice is not None and NOTICE in notice.text
    claims = jwt.get_unverified_claims(await api.access_token(CITIZEN_CCCD))
    assert claims["sub"] == owner["account_id"]


async def test_same_document_number_under_another_type_is_the_same_identifier(api: IdentityDriver) -> None:
    owner = await api.active_citizen()
    response = await api.register_citizen(document={"type": "cmnd", "number": CITIZEN_CCCD})
    assert response.status_code == 201
    await api.delivered()
    notice = api.console.last_to(owner["phone"])
    assert notice is not None and NOTICE in notice.text


async def test_registering_a_taken_phone_tells_its_owner_not_the_prober(api: IdentityDriver) -> None:
    first = await api.active_citizen()
    response = await api.register_citizen(
        phone=first["phone"], document={"type": "cmnd", "number": "191234567"}
    )
    assert response.status_code == 201
    await api.delivered()
    texts = [m.text for m in api.console.messages if m.destination == first["phone"]]
    assert NOTICE in texts[-1]
    assert (await api.login("191234567")).status_code == 400  # no account came of it


async def test_a_decoy_registration_resends_alike_and_never_verifies(api: IdentityDriver) -> None:
    await api.active_citizen()
    probe = await api.register_citizen(document={"type": "cccd", "number": CITIZEN_CCCD})
    account_id = probe.json()["account_id"]
    resend = await api.client.post("/v1/accounts/verify/resend", json={"account_id": account_id})
    assert resend.status_code == 202, resend.text
    verify = await api.client.post("/v1/accounts/verify", json={"account_id": account_id, "code": "123456"})
    assert verify.json()["type"].endswith("/invalid-otp")


async def test_cccd_not_matching_the_date_of_birth_is_a_field_error(api: IdentityDriver) -> None:
    response = await api.register_citizen(birth_date="1990-01-01")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "document.number"


async def test_cccd_not_matching_the_sex_is_a_field_error(api: IdentityDriver) -> None:
    response = await api.register_citizen(sex="female")
    assert response.status_code == 422


async def test_unknown_home_ward_is_refused(api: IdentityDriver) -> None:
    response = await api.register_citizen(home_ward_code="99999")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "home_ward_code"


async def test_known_home_ward_is_accepted(api: IdentityDriver) -> None:
    wards = (await api.client.get("/v1/wards")).json()
    response = await api.register_citizen(home_ward_code=wards[0]["code"])
    assert response.status_code == 201


async def test_personal_data_is_encrypted_at_rest(api: IdentityDriver) -> None:
    citizen = await api.active_citizen()
    async with api.service.runtime.db.sessions() as session:
        row = (await session.execute(sa.text("SELECT * FROM accounts"))).mappings().one()
        identifiers = (
            (await session.execute(sa.text("SELECT blind_index FROM login_identifiers"))).scalars().all()
        )
    stored = " ".join(str(v) for v in row.values()) + " ".join(identifiers)
    for secret in (CITIZEN_CCCD, citizen["phone"], citizen["email"]):
        assert secret not in stored


async def test_organization_registers_with_a_ten_digit_tax_code(api: IdentityDriver) -> None:
    response = await api.client.post(
        "/v1/accounts/organizations", json={**ORGANIZATION, "phone": api.next_phone()}
    )
    assert response.status_code == 201, response.text


async def test_organization_branch_registers_with_the_thirteen_digit_form(api: IdentityDriver) -> None:
    body = {**ORGANIZATION, "tax_code": "0100109106-002", "phone": api.next_phone()}
    assert (await api.client.post("/v1/accounts/organizations", json=body)).status_code == 201


async def test_organization_with_a_wrong_check_digit_is_refused(api: IdentityDriver) -> None:
    body = {**ORGANIZATION, "tax_code": "0100109107", "phone": api.next_phone()}
    response = await api.client.post("/v1/accounts/organizations", json=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "tax_code"


async def test_one_account_per_tax_code(api: IdentityDriver) -> None:
    await api.client.post("/v1/accounts/organizations", json={**ORGANIZATION, "phone": api.next_phone()})
    body = {**ORGANIZATION, "tax_code": "0100-109-106", "phone": api.next_phone()}
    response = await api.client.post("/v1/accounts/organizations", json=body)
    assert response.status_code == 201
    async with api.service.runtime.db.sessions() as session:
        decoy = await session.get(Account, response.json()["account_id"])
    assert decoy is not None and decoy.registration_decoy and decoy.tax_code_enc is None


async def test_registration_replays_with_the_same_idempotency_key(api: IdentityDriver) -> None:
    body = api.citizen_body()
    headers = {"Idempotency-Key": "reg-1"}
    first = await api.client.post("/v1/accounts/citizens", json=body, headers=headers)
    second = await api.client.post("/v1/accounts/citizens", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.headers["Idempotent-Replayed"] == "true"
    assert first.json()["account_id"] == second.json()["account_id"]


async def test_weak_password_lists_every_broken_rule(api: IdentityDriver) -> None:
    response = await api.register_citizen(password="abc")
    assert response.status_code == 422
    assert response.json()["type"].endswith("/weak-password")
    assert len(response.json()["errors"]) >= 4


async def test_an_old_unverified_registration_no_longer_blocks_the_document(api: IdentityDriver) -> None:
    first = await api.register_citizen()
    await backdate(api.service, Account, "created_at", timedelta(days=2))
    second = await api.register_citizen()
    assert second.status_code == 201
    assert second.json()["account_id"] != first.json()["account_id"]


async def test_a_taken_document_answers_alike_for_the_email_channel_too(api: IdentityDriver) -> None:
    await api.active_citizen()
    fresh = await api.register_citizen(
        document={"type": "cmnd", "number": "191234567"}, verification_channel="email"
    )
    probe = await api.register_citizen(verification_channel="email")
    assert fresh.status_code == probe.status_code == 201, probe.text
    assert fresh.json()["verification"]["channel"] == probe.json()["verification"]["channel"] == "email"
    assert fresh.json()["verification"]["destination"] == probe.json()["verification"]["destination"]
