"""Who is calling: claims to principal, bearer parsing, and the dependencies' refusals with their problem
types (clients branch on the type: refresh on token-expired, change the password on password-expired)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import httpx
import pytest
from fastapi import Depends, FastAPI

from hues_shared.auth.principal import (
    CurrentPrincipal,
    Principal,
    current_principal_allowing_expired_password,
    ensure_permission_in_unit,
    optional_principal,
    require_permission,
    require_role,
)
from hues_shared.context import account_var
from hues_shared.problems import PROBLEM_BASE, Forbidden, install_problem_handlers
from hues_shared.settings import ServiceSettings
from hues_shared.testing.tokens import SigningKeys, bearer, static_verifier

AUDIT = "identity.audit.read"


def test_claims_become_the_principal() -> None:
    principal = Principal.from_claims(
        {
            "sub": 42,
            "sid": "s-1",
            "kind": "staff",
            "roles": ["agency_officer"],
            "permissions": ["feedback.report.process@u1"],
            "unit": "u1",
            "pwd_expired": True,
        }
    )
    assert principal == Principal(
        account_id="42",
        session_id="s-1",
        kind="staff",
        roles=frozenset({"agency_officer"}),
        permissions=frozenset({"feedback.report.process@u1"}),
        unit_id="u1",
        password_expired=True,
    )


def test_missing_claims_give_the_least_privileged_principal() -> None:
    principal = Principal.from_claims({"sub": "a"})
    assert principal.kind == "citizen"
    assert principal.roles == frozenset() and principal.permissions == frozenset()
    assert principal.session_id is None and principal.unit_id is None
    assert principal.password_expired is False


def test_has_role_needs_one_of_the_roles() -> None:
    principal = Principal(account_id="a", roles=frozenset({"citizen"}))
    assert principal.has_role("dic_admin", "citizen")
    assert not principal.has_role("dic_admin")


def test_outside_the_unit_is_refused_with_its_own_problem_type() -> None:
    principal = Principal(account_id="a", permissions=frozenset({"feedback.report.process@u1"}))
    ensure_permission_in_unit(principal, "feedback.report.process", "u1")
    with pytest.raises(Forbidden) as refused:
        ensure_permission_in_unit(principal, "feedback.report.process", "u2")
    assert refused.value.slug == "outside-unit"
    with pytest.raises(Forbidden):  # a unit-less object needs the platform-wide grant
        ensure_permission_in_unit(principal, "feedback.report.process", None)


@pytest.fixture
async def client(test_keys: SigningKeys) -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    install_problem_handlers(app)

    class Runtime:
        token_verifier = static_verifier(test_keys)
        settings = ServiceSettings(environment="test")  # problems name public URLs (password-expired)

    app.state.runtime = Runtime()

    @app.get("/optional")
    async def optional(principal: Annotated[Principal | None, Depends(optional_principal)]) -> dict[str, Any]:
        return {"account": principal.account_id if principal else None, "context": account_var.get(None)}

    @app.get("/current")
    async def current(principal: CurrentPrincipal) -> dict[str, str]:
        return {"account": principal.account_id}

    @app.get("/expired-allowed")
    async def expired_allowed(
        principal: Annotated[Principal, Depends(current_principal_allowing_expired_password)],
    ) -> dict[str, str]:
        return {"account": principal.account_id}

    @app.get("/permission", dependencies=[require_permission(AUDIT)])
    async def permission() -> dict[str, str]:
        return {}

    @app.get("/role", dependencies=[require_role("dic_admin", "ioc_operator")])
    async def role() -> dict[str, str]:
        return {}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        yield client


def problem_type(response: httpx.Response) -> str:
    return str(response.json()["type"]).removeprefix(PROBLEM_BASE)


@pytest.mark.parametrize("header", [None, "Basic dXNlcjpwdw==", "Bearer ", "Bearer    "])
async def test_no_bearer_token_means_anonymous(client: httpx.AsyncClient, header: str | None) -> None:
    headers = {"Authorization": header} if header is not None else {}
    response = await client.get("/optional", headers=headers)
    assert response.status_code == 200 and response.json()["account"] is None


@pytest.mark.parametrize("template", ["bearer {}", "Bearer  {} "])
async def test_bearer_scheme_is_case_insensitive_and_sets_the_log_context(
    client: httpx.AsyncClient, test_keys: SigningKeys, template: str
) -> None:
    token = test_keys.token(sub="acc-1")
    response = await client.get("/optional", headers={"Authorization": template.format(token)})
    assert response.json() == {"account": "acc-1", "context": "acc-1"}


async def test_expired_token_is_a_401_telling_to_refresh(
    client: httpx.AsyncClient, test_keys: SigningKeys
) -> None:
    response = await client.get("/current", headers=bearer(test_keys.token(expires_in=-120)))
    assert response.status_code == 401 and problem_type(response) == "token-expired"


async def test_token_of_an_unknown_key_is_a_401_invalid_token(client: httpx.AsyncClient) -> None:
    response = await client.get("/optional", headers=bearer(SigningKeys().token()))
    assert response.status_code == 401 and problem_type(response) == "invalid-token"


async def test_no_token_on_a_protected_route_is_a_401(client: httpx.AsyncClient) -> None:
    for path in ("/current", "/expired-allowed"):
        response = await client.get(path)
        assert response.status_code == 401 and problem_type(response) == "unauthorized"


async def test_expired_password_is_a_403_asking_for_a_change(
    client: httpx.AsyncClient, test_keys: SigningKeys
) -> None:
    token = test_keys.token(sub="acc-2", pwd_expired=True)
    response = await client.get("/current", headers=bearer(token))
    assert response.status_code == 403 and problem_type(response) == "password-expired"
    assert response.json()["title"] == "Password change required"
    allowed = await client.get("/expired-allowed", headers=bearer(token))
    assert allowed.status_code == 200 and allowed.json() == {"account": "acc-2"}


@pytest.mark.parametrize(
    ("permissions", "status"),
    [([AUDIT], 200), ([f"{AUDIT}@u1"], 200), (["identity.unit.manage"], 403), ([], 403)],
)
async def test_require_permission_accepts_the_grant_anywhere(
    client: httpx.AsyncClient, test_keys: SigningKeys, permissions: list[str], status: int
) -> None:
    response = await client.get("/permission", headers=bearer(test_keys.token(permissions=permissions)))
    assert response.status_code == status
    if status == 403:
        assert problem_type(response) == "forbidden" and AUDIT in response.json()["detail"]


@pytest.mark.parametrize(
    ("roles", "status"), [(["ioc_operator"], 200), (["dic_admin"], 200), (["citizen"], 403)]
)
async def test_require_role_needs_one_of_the_roles(
    client: httpx.AsyncClient, test_keys: SigningKeys, roles: list[str], status: int
) -> None:
    response = await client.get("/role", headers=bearer(test_keys.token(roles=roles)))
    assert response.status_code == status


async def test_protected_routes_refuse_an_expired_password_before_the_permission(
    client: httpx.AsyncClient, test_keys: SigningKeys
) -> None:
    token = test_keys.token(permissions=[AUDIT], roles=["dic_admin"], pwd_expired=True)
    for path in ("/permission", "/role"):
        response = await client.get(path, headers=bearer(token))
        assert response.status_code == 403 and problem_type(response) == "password-expired"
