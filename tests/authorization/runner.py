"""Send one matrix row's request as every persona and say where the answer disagrees with the row."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import httpx

from tests.authorization.matrix import Row
from tests.authorization.personas import PERSONAS

REFUSALS = frozenset({401, 403})


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:120]
    if isinstance(body, dict):
        return str(body.get("detail") or body.get("title") or body)[:160]
    return str(body)[:120]


async def disagreements(
    client: httpx.AsyncClient,
    row: Row,
    path: str,
    headers: Mapping[str, dict[str, str]],
    *,
    refused: Callable[[str], bool] | None = None,
    refusal_statuses: Callable[[str], frozenset[int]] | None = None,
) -> list[str]:
    """Every persona's request (empty body unless the row gives one): allowed ones must not be refused
    (401/403) nor crash (500), refused ones must get 401/403 (or the row's deny_status). `refused` narrows
    who must be refused (the gateway alone refuses only its share); the others are not checked."""
    must_refuse = refused or (lambda persona: not row.allows(persona))
    statuses = refusal_statuses or row.denied_statuses
    found = []
    for persona in PERSONAS:
        response = await client.request(row.method, path, headers=headers[persona], json=row.body)
        status = response.status_code
        if row.allows(persona):
            if status in REFUSALS or status == 500:
                found.append(f"{persona}: allowed by the matrix, got {status} ({_detail(response)})")
        elif must_refuse(persona) and status not in statuses(persona):
            expected = "/".join(str(s) for s in sorted(statuses(persona)))
            found.append(f"{persona}: must be refused with {expected}, got {status} ({_detail(response)})")
    return found


def report(row: Row, channel: str, path: str, found: list[str]) -> str:
    where = f"{row.id} via {channel} ({row.method} {path})"
    return f"{where} disagrees with tests/authorization/matrix/{row.app}.toml:\n  " + "\n  ".join(found)
