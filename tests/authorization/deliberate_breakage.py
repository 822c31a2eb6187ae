"""Remove one authorization check at a time, run the tests that must notice, restore (issue 15).

    .venv/bin/python -m tests.authorization.deliberate_breakage [--only NAME] [--pytest-args ...]

Each breakage edits one source file (a plain text replacement), runs the authorization tests, and puts
the file back whatever happens. A breakage the tests do not notice is printed as SURVIVED and the run
exits 1. A breakage whose text is no longer in the file (the code moved on) is printed as STALE: update
the entry. The list is the one the issue named; docs/testing.md records the latest run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
IDENTITY = "identity-service/src/identity_service"
ROUTES = "gateway/src/gateway/routes.toml"
STAFF_ROLES = 'require_any_role = ["agency_officer", "agency_admin", "dic_admin", "ioc_operator"]\n'


@dataclass(frozen=True)
class Breakage:
    name: str
    file: str
    old: str
    new: str
    tests: tuple[str, ...] = ("tests/authorization",)


def _dead_letters(service: str) -> Breakage:
    block = (
        f'name = "{service}.dead-letters"\nupstream = "{service}"\n'
        f'public = "/v1/{service}/ops"\npath = "/v1/ops"\n'
    )
    return Breakage(
        f"gateway: dead-letter permission of {service}",
        ROUTES,
        block + 'require_any_permission = ["platform.deadletter.manage"]\n',
        block,
    )


BREAKAGES = [
    Breakage(
        "identity: GET /v1/accounts/{id}/permissions without identity.permission.grant",
        f"{IDENTITY}/permissions/endpoints.py",
        "async def get_grants(account_id: str, session: DbSession, _: Granter)",
        "async def get_grants(account_id: str, session: DbSession, _: CurrentPrincipal)",
    ),
    Breakage(
        "identity: DELETE /v1/accounts/{id}/permissions/{perm} without identity.permission.grant",
        f"{IDENTITY}/permissions/endpoints.py",
        "account_id: str, permission: str, session: DbSession, principal: Granter,",
        "account_id: str, permission: str, session: DbSession, principal: CurrentPrincipal,",
    ),
    Breakage(
        "identity: PATCH /v1/units/{id} without identity.unit.manage",
        f"{IDENTITY}/units/endpoints.py",
        "unit_id: str, body: UnitUpdateIn, session: DbSession, principal: UnitManager",
        "unit_id: str, body: UnitUpdateIn, session: DbSession, principal: CurrentPrincipal",
    ),
    Breakage(
        "identity: target check of GET /v1/accounts/{id}/roles",
        f"{IDENTITY}/staff/service.py",
        "    assert account.unit_id is not None\n"
        "    ensure_can_manage_unit_staff(principal, unit_id=account.unit_id)\n"
        "    return await get_roles(session, account=account)",
        "    return await get_roles(session, account=account)",
    ),
    Breakage(
        "identity: target check of POST /v1/admin/accounts/{id}/unlock",
        f"{IDENTITY}/administration/service.py",
        '"""Lifts an administrative lock and any brute-force lockout."""\n'
        "    account = await _target(session, account_id=account_id, principal=principal)",
        '"""Lifts an administrative lock and any brute-force lockout."""\n'
        "    account = await accounts.get(session, account_id=account_id)\n    assert account is not None",
    ),
    Breakage(
        "identity: target check of GET /v1/admin/accounts/{id}",
        f"{IDENTITY}/administration/service.py",
        ") -> AccountOut:\n    account = await _target(session, account_id=account_id, principal=principal)",
        ") -> AccountOut:\n    account = await accounts.get(session, account_id=account_id)\n"
        "    assert account is not None",
    ),
    Breakage(
        "identity: administrator dependency of POST /v1/admin/accounts/{id}/close",
        f"{IDENTITY}/administration/endpoints.py",
        "body: CloseIn, session: DbSession, principal: DicAdministrator,",
        "body: CloseIn, session: DbSession, principal: CurrentPrincipal,",
    ),
    Breakage(
        "gateway: audit permission (route identity.audit)",
        ROUTES,
        'require_any_permission = ["identity.audit.read"]\n',
        "",
    ),
    Breakage(
        "gateway: signing-keys permission (route identity.admin.signing-keys)",
        ROUTES,
        'require_any_permission = ["identity.signing_key.rotate"]\n',
        "",
    ),
    Breakage(
        "gateway: staff role of the generic route identity.admin",
        ROUTES,
        'public = "/v1/identity/admin"\npath = "/v1/admin"\n' + STAFF_ROLES,
        'public = "/v1/identity/admin"\npath = "/v1/admin"\n',
    ),
    *(
        _dead_letters(service)
        for service in ("identity", "integration", "feedback", "notification", "catalog")
    ),
]


def run(breakage: Breakage, pytest_args: list[str]) -> tuple[str, str]:
    path = REPO / breakage.file
    original = path.read_text(encoding="utf-8")
    if original.count(breakage.old) != 1:
        return "STALE", ""
    try:
        path.write_text(original.replace(breakage.old, breakage.new), encoding="utf-8")
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-x",
                "-p",
                "no:cacheprovider",
                "-p",
                "no:randomly",
                *breakage.tests,
                *pytest_args,
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        path.write_text(original, encoding="utf-8")
    first_failure = next((line for line in result.stdout.splitlines() if line.startswith("FAILED")), "")
    outcome = "caught" if result.returncode == 1 else ("SURVIVED" if result.returncode == 0 else "ERROR")
    return outcome, first_failure.removeprefix("FAILED ")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", help="run the breakages whose name contains this text")
    parser.add_argument("--pytest-args", nargs=argparse.REMAINDER, default=[])
    args = parser.parse_args()
    outcomes = []
    for breakage in BREAKAGES:
        if args.only and args.only not in breakage.name:
            continue
        outcome, by = run(breakage, args.pytest_args)
        outcomes.append(outcome)
        print(f"{outcome:9} {breakage.name}" + (f"\n          by {by[:150]}" if by else ""), flush=True)
    return 0 if all(o == "caught" for o in outcomes) else 1


if __name__ == "__main__":
    raise SystemExit(main())
