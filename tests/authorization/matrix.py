"""The authorization matrix files: one `tests/authorization/matrix/<app>.toml` per app, one row per route.

    [[route]]
    method = "POST"
    path = "/v1/reports/{report_id}/accept"   # as in the app's own OpenAPI (service-local path)
    allow = ["ioc_operator", "dic_admin"]      # personas that pass function-level authorization
    deny_status = 404                          # optional: denied personas get this instead of 401/403
    note = "why"                               # optional
    gateway_deny = ["citizen"]                 # optional: personas the gateway itself must refuse
                                               #   ("*" = every persona `allow` leaves out)
    path_params = { role = "agency_officer" }  # optional: values for path placeholders
    body = { reason = "matrix" }               # optional: a JSON body, for checks that come after
                                               #   the body is read (the default is an empty body)

The file format is shared by every service team (docs/testing.md); unknown keys are refused so a typo
(`alow`) cannot silently drop a rule.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.authorization.personas import (
    ANONYMOUS,
    AUTHENTICATED,
    EVERYONE,
    EXPIRED_PASSWORD,
    PERSONAS,
    expand,
)

MATRIX_DIR = Path(__file__).resolve().parent / "matrix"
GATEWAY_APP = "gateway"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
KNOWN_KEYS = frozenset(
    {"method", "path", "allow", "deny_status", "note", "gateway_deny", "path_params", "body"}
)


class MatrixError(ValueError):
    """A matrix file that cannot be trusted: unknown persona, missing key, duplicate row..."""


@dataclass(frozen=True)
class Row:
    app: str
    method: str
    path: str
    allow: frozenset[str]
    deny_status: int | None = None
    note: str | None = None
    gateway_deny: frozenset[str] | None = None
    path_params: dict[str, str] = field(default_factory=dict, hash=False)
    body: dict[str, Any] | None = field(default=None, hash=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)

    @property
    def id(self) -> str:
        return f"{self.app}:{self.method} {self.path}"

    def allows(self, persona: str) -> bool:
        return persona in self.allow

    def denied_statuses(self, persona: str) -> frozenset[int]:
        """What a denied persona may get: 401 without a token, 403 with one (or the row's deny_status)."""
        if self.deny_status is not None:
            return frozenset({self.deny_status})
        return frozenset({401}) if persona == ANONYMOUS else frozenset({403})

    def gateway_refuses(self) -> frozenset[str]:
        """Personas the gateway must refuse on its own (no upstream asked): the row's `gateway_deny`, or by
        default what the gateway can tell from the token alone: no token, an expired password."""
        if self.gateway_deny is not None:
            return self.gateway_deny
        return frozenset(p for p in (ANONYMOUS, EXPIRED_PASSWORD) if not self.allows(p))


def app_name(file: Path) -> str:
    """`identity.toml` and `identity-service.toml` both name the app `identity`."""
    return file.stem.removesuffix("-service")


def _personas(value: Any, *, where: str, key: str, shorthands: bool) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise MatrixError(f"{where}: `{key}` must be a list of persona names")
    allowed_names = set(PERSONAS) | ({EVERYONE, AUTHENTICATED} if shorthands else set())
    if unknown := sorted(set(value) - allowed_names):
        raise MatrixError(f"{where}: unknown personas {unknown} in `{key}` (known: {', '.join(PERSONAS)})")
    return expand(value)


def parse_row(app: str, raw: dict[str, Any], *, where: str) -> Row:
    if unknown := sorted(set(raw) - KNOWN_KEYS):
        raise MatrixError(f"{where}: unknown keys {unknown} (known: {sorted(KNOWN_KEYS)})")
    for required in ("method", "path", "allow"):
        if required not in raw:
            raise MatrixError(f"{where}: `{required}` missing")
    method = str(raw["method"]).upper()
    if method not in METHODS:
        raise MatrixError(f"{where}: unknown method {raw['method']!r}")
    path = str(raw["path"])
    if not path.startswith("/"):
        raise MatrixError(f"{where}: path {path!r} must start with '/'")
    deny_status = raw.get("deny_status")
    if deny_status is not None and not (isinstance(deny_status, int) and 400 <= deny_status < 500):
        raise MatrixError(f"{where}: deny_status must be a 4xx status")
    params = raw.get("path_params", {})
    if not isinstance(params, dict):
        raise MatrixError(f"{where}: path_params must be a table")
    allow = _personas(raw["allow"], where=where, key="allow", shorthands=True)
    gateway_deny = raw.get("gateway_deny")
    if gateway_deny is not None:
        gateway_deny = (
            frozenset(PERSONAS) - allow
            if gateway_deny == [EVERYONE]
            else _personas(gateway_deny, where=where, key="gateway_deny", shorthands=False)
        )
        if both := sorted(allow & gateway_deny):
            raise MatrixError(f"{where}: {both} both allowed and in gateway_deny")
    body = raw.get("body")
    if body is not None and not isinstance(body, dict):
        raise MatrixError(f"{where}: body must be a table (sent as JSON)")
    return Row(
        app=app,
        method=method,
        path=path,
        allow=allow,
        deny_status=deny_status,
        note=raw.get("note"),
        gateway_deny=gateway_deny,
        path_params={str(k): str(v) for k, v in params.items()},
        body=body,
    )


def load_file(file: Path) -> list[Row]:
    app = app_name(file)
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise MatrixError(f"{file.name}: not valid TOML: {exc}") from exc
    if unknown := sorted(set(raw) - {"route"}):
        raise MatrixError(f"{file.name}: unknown top-level keys {unknown} (rows are [[route]] tables)")
    rows = [
        parse_row(app, entry, where=f"{file.name} row {index + 1}")
        for index, entry in enumerate(raw.get("route", []))
    ]
    seen: set[tuple[str, str]] = set()
    for row in rows:
        if row.key in seen:
            raise MatrixError(f"{file.name}: {row.method} {row.path} has two rows")
        seen.add(row.key)
    return rows


def load_all(folder: Path = MATRIX_DIR) -> dict[str, list[Row]]:
    """Every app's rows, by app name."""
    return {app_name(file): load_file(file) for file in sorted(folder.glob("*.toml"))}
