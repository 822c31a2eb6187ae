"""Optional TOTP (RFC 6238), mandatory for staff by policy."""

import time
from collections.abc import Callable

import pyotp

from hues_shared.testing.apps import running_service
from hues_shared.testing.tokens import SigningKeys, bearer
from identity_service.config import IdentitySettings
from identity_service.main import create_app
from identity_service.testing import CITIZEN_CCCD, IdentityDriver


async def test_enrolled_second_factor_is_required_at_login(api: IdentityDriver) -> None:
    await api.active_citizen()
    headers = bearer(await api.access_token(CITIZEN_CCCD))
    secret = (await api.client.post("/v1/me/totp", headers=headers)).json()["secret"]
    totp = pyotp.TOTP(secret)
    assert (
        await api.client.post("/v1/me/totp/confirm", json={"code": totp.now()}, headers=headers)
    ).status_code == 204
    without = await api.login(CITIZEN_CCCD)
    assert without.status_code == 400 and without.json()["mfa_required"] is True
    wrong = await api.login(CITIZEN_CCCD, totp=f"{(int(totp.now()) + 1) % 10**6:06d}")
    assert wrong.status_code == 400
    code = totp.at(time.time() + 30)  # next step: the confirm spent the current one
    assert (await api.login(CITIZEN_CCCD, totp=code)).status_code == 200
    replay = await api.login(CITIZEN_CCCD, totp=code)
    assert replay.status_code == 400


async def test_policy_makes_staff_enroll_at_first_login(
    make_settings: Callable[..., IdentitySettings], test_keys: SigningKeys
) -> None:
    async with running_service(
        create_app, make_settings(totp_required_for_staff=True), keys=test_keys
    ) as service:
        api = IdentityDriver(service, test_keys)
        unit_id = await api.create_unit("SO-M")
        staff = await api.create_staff(unit_id)
        temporary = await api.last_password_to(staff["phone"])
        first = await api.login(staff["phone"], temporary)
        assert first.status_code == 400 and "mfa_enrollment" not in first.json()
        assert first.json()["mfa_enrollment_code_sent"]["destination"].endswith(staff["phone"][-2:])
        code = await api.last_code_to(staff["phone"])
        second = await api.login(staff["phone"], temporary, enrollment_code=code)
        enrollment = second.json()["mfa_enrollment"]
        ok = await api.login(staff["phone"], temporary, totp=pyotp.TOTP(enrollment["secret"]).now())
        assert ok.status_code == 200
        token = bearer(
            test_keys.token(sub=staff["account_id"], roles=["agency_officer"], kind="staff", unit=unit_id)
        )
        code = pyotp.TOTP(enrollment["secret"]).now()
        disable = await api.client.post("/v1/me/totp/disable", json={"code": code}, headers=token)
        assert disable.status_code == 403


async def test_the_password_alone_does_not_hand_out_the_totp_secret(
    make_settings: Callable[..., IdentitySettings], test_keys: SigningKeys
) -> None:
    """Whoever knows only a staff password (no phone) must not enroll their own authenticator."""
    async with running_service(
        create_app, make_settings(totp_required_for_staff=True), keys=test_keys
    ) as service:
        api = IdentityDriver(service, test_keys)
        staff = await api.create_staff(await api.create_unit("SO-N"))
        temporary = await api.last_password_to(staff["phone"])
        responses = [await api.login(staff["phone"], temporary, enrollment_code=c) for c in ("", "000000")]
        responses.append(await api.login(staff["phone"], temporary))
        assert all("mfa_enrollment" not in r.json() for r in responses), [r.text for r in responses]
