"""The matrix runner itself: it refuses a matrix it cannot trust, and it sees a forgotten check."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from hues_shared.auth.principal import CurrentPrincipal, require_permission
from hues_shared.permissions import AUDIT_READ
from hues_shared.problems import install_problem_handlers
from hues_shared.settings import ServiceSettings
from hues_shared.testing.tokens import SigningKeys, static_verifier
from tests.authorization.matrix import MatrixError, Row, load_file, parse_row
from tests.authorization.personas import PERSONAS, personas
from tests.authorization.runner import disagreements


def row(**raw: object) -> Row:
    return parse_row("app", {"method": "GET", "path": "/v1/x", **raw}, where="test")


@pytest.mark.parametrize(
    ("raw", "complaint"),
    [
        ({"allow": ["citizen"], "alow": ["dic_admin"]}, "unknown keys"),
        ({"allow": ["admin"]}, "unknown personas"),
        ({"allow": ["citizen"], "deny_status": 200}, "deny_status"),
        ({"allow": ["citizen"], "gateway_deny": ["citizen"]}, "both allowed"),
        ({"allow": "citizen"}, "must be a list"),
        ({}, "`allow` missing"),
    ],
)
def test_a_row_that_cannot_be_trusted_is_refused(raw: dict[str, object], complaint: str) -> None:
    with pytest.raises(MatrixError, match=complaint):
        row(**raw)


def test_two_rows_for_one_route_are_refused(tmp_path: Path) -> None:
    file = tmp_path / "app.toml"
    file.write_text('[[route]]\nmethod="GET"\npath="/a"\nallow=["*"]\n' * 2)
    with pytest.raises(MatrixError, match="two rows"):
        load_file(file)


def test_shorthands_expand_to_personas() -> None:
    assert row(allow=["*"]).allow == frozenset(PERSONAS)
    authenticated = row(allow=["authenticated"]).allow
    assert "anonymous" not in authenticated and "expired_password" not in authenticated
    assert "citizen" in authenticated and "partner_client" in authenticated
    assert row(allow=["dic_admin"], gateway_deny=["*"]).gateway_refuses() == frozenset(PERSONAS) - {
        "dic_admin"
    }


def test_gateway_share_defaults_to_what_a_token_alone_shows() -> None:
    assert row(allow=["dic_admin"]).gateway_refuses() == {"anonymous", "expired_password"}
    assert row(allow=["authenticated", "expired_password"]).gateway_refuses() == {"anonymous"}
    assert row(allow=["*"]).gateway_refuses() == frozenset()


@pytest.fixture
async def leaky_client(test_keys: SigningKeys) -> AsyncIterator[httpx.AsyncClient]:
    """An app with one guarded route and one whose check was forgotten."""
    app = FastAPI()
    install_problem_handlers(app)

    class Runtime:
        token_verifier = static_verifier(test_keys)
        settings = ServiceSettings(environment="test")  # problems name public URLs (password-expired)

    app.state.runtime = Runtime()

    @app.get("/v1/guarded", dependencies=[require_permission(AUDIT_READ)])
    async def guarded() -> dict[str, str]:
        return {}

    @app.get("/v1/forgotten")
    async def forgotten(_: CurrentPrincipal) -> dict[str, str]:
        return {}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        yield client


async def test_runner_passes_a_route_that_matches_its_row(
    leaky_client: httpx.AsyncClient, test_keys: SigningKeys
) -> None:
    headers = {name: p.headers(test_keys) for name, p in personas().items()}
    found = await disagreements(leaky_client, row(allow=["dic_admin"]), "/v1/guarded", headers)
    assert found == []


async def test_runner_reports_every_persona_a_forgotten_check_lets_in(
    leaky_client: httpx.AsyncClient, test_keys: SigningKeys
) -> None:
    headers = {name: p.headers(test_keys) for name, p in personas().items()}
    found = await disagreements(leaky_client, row(allow=["dic_admin"]), "/v1/forgotten", headers)
    let_in = sorted(line.split(":")[0] for line in found)
    assert let_in == sorted(set(PERSONAS) - {"anonymous", "expired_password", "dic_admin"})


async def test_runner_reports_an_allowed_persona_that_is_refused(
    leaky_client: httpx.AsyncClient, test_keys: SigningKeys
) -> None:
    headers = {name: p.headers(test_keys) for name, p in personas().items()}
    found = await disagreements(leaky_client, row(allow=["citizen", "dic_admin"]), "/v1/guarded", headers)
    assert [line.split(":")[0] for line in found] == ["citizen"]
