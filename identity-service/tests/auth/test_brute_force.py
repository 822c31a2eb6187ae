"""Attacks on sign-in (issue 7, items 4-7): timing, counters that link login names, lockout of a victim,
colliding login names. Brute-force protection after Keycloak's detector: progressive delay per login
name and per (login name, address), never a permanent lockout; the right password from an address
with no failures gets in."""

import statistics
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from jose import jwt

from hues_shared.testing.apps import running_service
from hues_shared.testing.tokens import SigningKeys
from hues_shared.types import utcnow
from identity_service.accounts.identifiers import tax_code_check_digit
from identity_service.accounts.models import Account, LoginIdentifier
from identity_service.auth.models import LoginThrottle
from identity_service.main import create_app
from identity_service.testing import CITIZEN_CCCD, PASSWORD, IdentityDriver, light_settings

WRONG = "Wrong-Pass#123"
ATTACKER, OWNER = {"X-Forwarded-For": "203.0.113.7"}, {"X-Forwarded-For": "198.51.100.20"}


async def login_from(api: IdentityDriver, headers: dict[str, str], username: str, password: str) -> Any:
    data = {"grant_type": "password", "username": username, "password": password}
    return await api.client.post("/v1/auth/token", data=data, headers=headers)


@pytest.fixture
async def production_argon2(tmp_path: Path, test_keys: SigningKeys) -> AsyncIterator[IdentityDriver]:
    """OWASP's Argon2id parameters (the production defaults), so verification takes real time."""
    settings = light_settings(tmp_path, argon2_memory_kib=19_456, argon2_time_cost=2)
    async with running_service(create_app, settings, keys=test_keys) as service:
        yield IdentityDriver(service, test_keys)


async def test_unknown_login_name_takes_as_long_as_a_wrong_password(
    production_argon2: IdentityDriver,
) -> None:
    api = production_argon2
    await api.active_citizen()

    async def duration(username: str) -> float:
        started = time.perf_counter()
        assert (await api.login(username, WRONG)).status_code == 400
        return time.perf_counter() - started

    existing = statistics.median([await duration(CITIZEN_CCCD) for _ in range(3)])
    unknown = statistics.median([await duration(f"04608500{n:04d}") for n in range(3)])
    # Without the dummy hash an unknown name answers in a few ms against ~50 ms for a real one.
    assert unknown > existing * 0.5, (unknown, existing)


async def test_failures_under_one_login_name_do_not_reveal_the_accounts_other_names(
    api: IdentityDriver,
) -> None:
    citizen = await api.active_citizen()
    for _ in range(6):
        await login_from(api, ATTACKER, CITIZEN_CCCD, WRONG)
    # The phone is the same account's other login name: it must answer like any unrelated name.
    via_phone = await login_from(api, ATTACKER, citizen["phone"], WRONG)
    unrelated = await login_from(api, ATTACKER, "0399999999", WRONG)
    assert via_phone.json() == unrelated.json()
    assert via_phone.json().get("blocked") is None


async def test_attacker_failures_do_not_lock_the_owner_out_from_a_clean_address(api: IdentityDriver) -> None:
    await api.active_citizen()
    for _ in range(12):  # five wrong passwords every fifteen minutes used to lock the owner out for good
        await login_from(api, ATTACKER, CITIZEN_CCCD, WRONG)
    assert (await login_from(api, ATTACKER, CITIZEN_CCCD, PASSWORD)).json().get("blocked") is True
    owner = await login_from(api, OWNER, CITIZEN_CCCD, PASSWORD)
    assert owner.status_code == 200, owner.text


async def _wait_of(api: IdentityDriver, prefix: str) -> float:
    async with api.service.runtime.db.sessions() as session:
        rows = (
            await session.scalars(sa.select(LoginThrottle).where(LoginThrottle.key.startswith(prefix)))
        ).all()
    [throttle] = rows
    assert throttle.locked_until is not None
    return (throttle.locked_until - utcnow()).total_seconds()


async def _end_waits(api: IdentityDriver) -> None:
    async with api.service.runtime.db.unit_of_work() as session:
        await session.execute(sa.update(LoginThrottle).values(locked_until=utcnow()))


async def test_an_address_that_keeps_failing_waits_progressively_longer(api: IdentityDriver) -> None:
    await api.active_citizen()
    for _ in range(5):
        await login_from(api, ATTACKER, CITIZEN_CCCD, WRONG)
    first = await _wait_of(api, "pair:")
    await _end_waits(api)
    await login_from(api, ATTACKER, CITIZEN_CCCD, WRONG)
    second = await _wait_of(api, "pair:")
    assert (await login_from(api, ATTACKER, CITIZEN_CCCD, PASSWORD)).json().get("blocked") is True
    assert 25 < first <= 30 and 55 < second <= 60, (first, second)


def _phone_that_is_also_a_tax_code() -> str:
    for n in range(1000, 10_000):
        first_nine = f"09051{n:04d}"
        check = tax_code_check_digit(first_nine)
        if check is not None:
            return f"{first_nine}{check}"
    raise AssertionError("no candidate")


async def test_a_tax_code_cannot_take_the_digits_of_a_registered_phone(api: IdentityDriver) -> None:
    digits = _phone_that_is_also_a_tax_code()
    citizen = await api.active_citizen(phone=digits)
    org_password = "Hoa-Sen#2026xyz"
    registration = await api.client.post(
        "/v1/accounts/organizations",
        json={
            "name": "Công ty Trùng Số",
            "organization_kind": "enterprise",
            "tax_code": digits,
            "representative_name": "Lê Văn Bốn",
            "phone": api.next_phone(),
            "password": org_password,
        },
    )
    assert registration.status_code != 422, registration.text
    async with api.service.runtime.db.sessions() as session:
        organizations = (
            await session.scalars(
                sa.select(Account).where(Account.kind == "organization", ~Account.registration_decoy)
            )
        ).all()
    assert organizations == []
    claims = jwt.get_unverified_claims(await api.access_token(digits))
    assert claims["sub"] == citizen["account_id"]


async def test_an_ambiguous_login_name_from_before_the_namespace_signs_in_nobody(api: IdentityDriver) -> None:
    digits = _phone_that_is_also_a_tax_code()
    await api.active_citizen(phone=digits)
    other = await api.active_citizen(document={"type": "cmnd", "number": "191234567"}, phone=api.next_phone())
    async with api.service.runtime.db.unit_of_work() as session:  # a tax-code row as stored before the fix
        index = api.components.cipher.blind_index("tax_code", digits)
        await session.execute(sa.delete(LoginIdentifier).where(LoginIdentifier.blind_index == index))
        session.add(LoginIdentifier(blind_index=index, kind="tax_code", account_id=other["account_id"]))
    assert (await api.login(digits)).status_code == 400
    assert (await api.login("191234567")).status_code == 200
