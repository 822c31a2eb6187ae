"""The bootstrap seed: DIC unit and first administrator with every permission; idempotent."""

import pytest
from jose import jwt

from hues_shared.permissions import catalogue
from identity_service.testing import IdentityDriver

ADMIN_PASSWORD = "Kinh-Thanh#1805x"


async def test_seed_creates_the_dic_admin_with_every_permission(
    api: IdentityDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUES_BOOTSTRAP_ADMIN_USERNAME", "0912000111")
    monkeypatch.setenv("HUES_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD)
    seed = api.service.runtime.definition.seed
    assert seed is not None
    await seed(api.service.runtime)
    await seed(api.service.runtime)
    claims = jwt.get_unverified_claims(await api.access_token("0912000111", ADMIN_PASSWORD))
    assert claims["roles"] == ["dic_admin"] and claims["kind"] == "staff"
    assert set(claims["permissions"]) == {p.code for p in catalogue()}
    assert "platform.deadletter.manage" in claims["permissions"]
    units = (await api.client.get("/v1/units", headers=api.dic_admin_headers())).json()["items"]
    assert [u["code"] for u in units] == ["DIC"]


async def test_seed_generates_and_prints_a_password_once(
    api: IdentityDriver, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("HUES_BOOTSTRAP_ADMIN_USERNAME", raising=False)
    monkeypatch.delenv("HUES_BOOTSTRAP_ADMIN_PASSWORD", raising=False)
    seed = api.service.runtime.definition.seed
    assert seed is not None
    await seed(api.service.runtime)
    printed = capsys.readouterr().out
    password = printed.split("Password: ")[1].split()[0]
    await seed(api.service.runtime)
    assert "Password:" not in capsys.readouterr().out
    assert (await api.login("0900000001", password)).status_code == 200
