"""The bootstrap seed: DIC unit and first administrator with every permission, remembered by id.

A re-run grants only permissions new to the catalogue; it never re-grants what the DIC revoked, never
recreates a closed administrator, and never hands the catalogue to whoever holds the login name now
(issue 7, items 7 and 11). The bootstrap password must be changed first (issue 14, items 7 and 8).
"""

import re
import string
from pathlib import Path

import pytest
import yaml
from jose import jwt

from hues_shared.permissions import AUDIT_READ, catalogue
from hues_shared.testing.tokens import bearer
from identity_service.accounts.identifiers import normalize_phone
from identity_service.bootstrap.recovery import recover_admin_command
from identity_service.bootstrap.seed import DEFAULT_ADMIN_USERNAME
from identity_service.testing import IdentityDriver

ADMIN_PHONE = "0912000111"
ADMIN_PASSWORD = "Kinh-Thanh#1805x"
NEW_PASSWORD = "Dai-Noi#1945abc"
SHELL_SAFE = set(string.ascii_letters + string.digits + "-_.:+=@%,")


@pytest.fixture
def seed_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUES_BOOTSTRAP_ADMIN_USERNAME", ADMIN_PHONE)
    monkeypatch.setenv("HUES_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD)


async def seed(api: IdentityDriver) -> None:
    hook = api.service.runtime.definition.seed
    assert hook is not None
    await hook(api.service.runtime)


async def admin_token(api: IdentityDriver, password: str = ADMIN_PASSWORD) -> str:
    """Sign in as the bootstrap admin, changing the bootstrap password first as required."""
    first = await api.login(ADMIN_PHONE, password)
    assert first.status_code == 200, first.text
    assert first.json()["password_expired"] is True
    changed = await api.client.post(
        "/v1/me/password",
        json={"current_password": password, "new_password": NEW_PASSWORD},
        headers=bearer(first.json()["access_token"]),
    )
    assert changed.status_code == 204, changed.text
    return await api.access_token(ADMIN_PHONE, NEW_PASSWORD)


async def test_seed_creates_the_dic_admin_with_every_permission(api: IdentityDriver, seed_env: None) -> None:
    await seed(api)
    await seed(api)
    claims = jwt.get_unverified_claims(await admin_token(api))
    assert claims["roles"] == ["dic_admin"] and claims["kind"] == "staff"
    assert set(claims["permissions"]) == {p.code for p in catalogue()}
    units = (await api.client.get("/v1/units", headers=api.dic_admin_headers())).json()["items"]
    assert [u["code"] for u in units] == ["DIC"]


async def test_bootstrap_password_must_be_changed_at_first_sign_in(
    api: IdentityDriver, seed_env: None
) -> None:
    await seed(api)
    first = await api.login(ADMIN_PHONE, ADMIN_PASSWORD)
    claims = jwt.get_unverified_claims(first.json()["access_token"])
    assert claims["pwd_expired"] is True and claims["permissions"] == []


async def test_seed_generates_a_shell_safe_password_for_the_final_banner_once(
    api: IdentityDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HUES_BOOTSTRAP_ADMIN_USERNAME", raising=False)
    monkeypatch.delenv("HUES_BOOTSTRAP_ADMIN_PASSWORD", raising=False)
    await seed(api)
    [notice] = api.service.runtime.notices  # printed by the launcher after the URLs, not mid-log
    password = notice.split("Password:")[1].split()[0]
    assert set(password) <= SHELL_SAFE and len(password) >= 20
    await seed(api)
    assert len(api.service.runtime.notices) == 1
    response = await api.login("0900000001", password)
    assert response.status_code == 200 and response.json()["password_expired"] is True


async def test_recover_admin_sets_a_new_password_and_lifts_the_lock(
    api: IdentityDriver, seed_env: None
) -> None:
    await seed(api)
    for _ in range(6):
        await api.login(ADMIN_PHONE, "Wrong-Pass#123")
    printed = await recover_admin_command(api.service.runtime)
    password = printed.split("Password:")[1].split()[0]
    assert set(password) <= SHELL_SAFE
    assert (await api.login(ADMIN_PHONE, ADMIN_PASSWORD)).status_code == 400
    recovered = await api.login(ADMIN_PHONE, password)
    assert recovered.status_code == 200 and recovered.json()["password_expired"] is True


async def test_reseeding_never_regrants_a_permission_the_dic_revoked(
    api: IdentityDriver, seed_env: None
) -> None:
    await seed(api)
    admin_id = jwt.get_unverified_claims(await admin_token(api))["sub"]
    revoked = await api.client.delete(
        f"/v1/accounts/{admin_id}/permissions/{AUDIT_READ}", headers=api.dic_admin_headers()
    )
    assert revoked.status_code == 204
    await seed(api)
    claims = jwt.get_unverified_claims(await api.access_token(ADMIN_PHONE, NEW_PASSWORD))
    assert AUDIT_READ not in claims["permissions"]


async def test_reseeding_never_recreates_a_closed_admin(api: IdentityDriver, seed_env: None) -> None:
    await seed(api)
    admin_id = jwt.get_unverified_claims(await admin_token(api))["sub"]
    closed = await api.client.post(
        f"/v1/admin/accounts/{admin_id}/close", json={"reason": "nghỉ hưu"}, headers=api.dic_admin_headers()
    )
    assert closed.status_code == 204
    await seed(api)
    assert (await api.login(ADMIN_PHONE, ADMIN_PASSWORD)).status_code == 400


async def test_reseeding_gives_nothing_to_whoever_holds_the_admins_login_name_now(
    api: IdentityDriver, seed_env: None
) -> None:
    await seed(api)
    admin_id = jwt.get_unverified_claims(await admin_token(api))["sub"]
    await api.client.post(
        f"/v1/admin/accounts/{admin_id}/close", json={"reason": "nghỉ hưu"}, headers=api.dic_admin_headers()
    )
    await api.active_citizen(phone=ADMIN_PHONE)  # the freed number, registered by someone else
    await seed(api)
    claims = jwt.get_unverified_claims(await api.access_token(ADMIN_PHONE))
    assert claims["roles"] == ["citizen"] and claims["permissions"] == []


def test_deploy_files_default_the_admin_login_to_a_name_the_seed_accepts() -> None:
    """compose, .env.example and the Kubernetes secret defaulted to `dic-admin`, which the seed refused."""
    root = Path(__file__).resolve().parents[3]
    compose = (root / "docker-compose.yml").read_text()
    [default] = re.findall(r"HUES_BOOTSTRAP_ADMIN_USERNAME:-([^}]+)}", compose)
    secret = yaml.safe_load((root / "deploy/k8s/secret.example.yaml").read_text())
    example = (root / "deploy/.env.example").read_text()
    [documented] = re.findall(r"HUES_BOOTSTRAP_ADMIN_USERNAME=(\S+)", example)
    for value in (default, secret["stringData"]["HUES_BOOTSTRAP_ADMIN_USERNAME"], documented):
        assert normalize_phone(str(value)) == DEFAULT_ADMIN_USERNAME
