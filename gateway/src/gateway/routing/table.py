"""The declarative route table: parsed from TOML, validated at start-up so a typo never meets traffic."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from limits import RateLimitItem, parse
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from hues_shared.auth.principal import Role
from hues_shared.permissions import is_known

DEFAULT_ROUTES_FILE = Path(__file__).resolve().parents[1] / "routes.toml"
HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class RouteTableError(ValueError):
    """The route table is not usable; raised at start-up with every problem found."""


class Access(StrEnum):
    PUBLIC = "public"
    OPTIONAL = "optional"
    ACCOUNT = "account"
    MACHINE = "machine"


class LimitSpec(BaseModel):
    """One counter of a rate-limit class: who is counted (key) and how many per window (rate).

    `identifier` counts per login name / phone / account id the request names in its body (`field`, a
    form or JSON field), so people behind one carrier-NAT address do not share a budget (issue 14, item 6).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: Literal["account", "address", "client", "identifier"]
    rate: str
    field: str | None = None

    @model_validator(mode="after")
    def _field_for_identifier(self) -> LimitSpec:
        if (self.key == "identifier") != (self.field is not None):
            raise ValueError("`field` is required with key 'identifier' and only there")
        return self

    @field_validator("rate")
    @classmethod
    def _parsable(cls, value: str) -> str:
        try:
            parse(value)
        except ValueError as exc:
            raise ValueError(f"rate {value!r} is not like '10/minute' or '5 per 2 seconds'") from exc
        return value

    @property
    def item(self) -> RateLimitItem:
        return parse(self.rate)


class RateLimitClass(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    limits: tuple[LimitSpec, ...] = Field(min_length=1)
    # Upstream answers that did not reach the expensive path (e.g. 422 validation) give the hit back.
    refund_statuses: frozenset[int] = frozenset()


class RouteDefaults(BaseModel):
    model_config = ConfigDict(extra="forbid")

    access: Access = Access.ACCOUNT
    rate_limit: str = "standard"
    timeout_seconds: float = Field(default=10.0, gt=0)
    max_body_bytes: int = Field(default=1_048_576, ge=0)
    retry_safe: bool = True


class Route(BaseModel):
    """One public path prefix, where it goes upstream and the policy guarding it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    upstream: str
    public: str
    path: str
    methods: frozenset[str] | None = None
    access: Access
    require_any_role: frozenset[str] = frozenset()
    require_any_permission: frozenset[str] = frozenset()
    allow_expired_password: bool = False
    rate_limit: str
    timeout_seconds: float = Field(gt=0)
    max_body_bytes: int = Field(ge=0)
    retry_safe: bool
    environments: frozenset[str] | None = None

    @field_validator("public", "path")
    @classmethod
    def _absolute(cls, value: str) -> str:
        if not value.startswith("/") or (len(value) > 1 and value.endswith("/")) or "//" in value:
            raise ValueError(f"{value!r} must start with '/' and not end with '/'")
        return value

    @field_validator("methods")
    @classmethod
    def _known_methods(cls, value: frozenset[str] | None) -> frozenset[str] | None:
        if value is None:
            return None
        upper = frozenset(m.upper() for m in value)
        if unknown := upper - HTTP_METHODS:
            raise ValueError(f"unknown methods {sorted(unknown)}")
        return upper

    @field_validator("require_any_role")
    @classmethod
    def _known_roles(cls, value: frozenset[str]) -> frozenset[str]:
        roles = {r.value for r in Role}
        if unknown := value - roles:
            raise ValueError(f"unknown roles {sorted(unknown)}")
        return value

    @field_validator("require_any_permission")
    @classmethod
    def _known_permissions(cls, value: frozenset[str]) -> frozenset[str]:
        if unknown := sorted(code for code in value if not is_known(code)):
            raise ValueError(
                f"unknown function permissions {unknown} (declare them in hues_shared/permissions.py)"
            )
        return value

    @model_validator(mode="after")
    def _policy_is_coherent(self) -> Route:
        guarded = self.require_any_role or self.require_any_permission
        if guarded and self.access in (Access.PUBLIC, Access.OPTIONAL):
            raise ValueError("roles or permissions need access 'account' or 'machine'")
        return self

    def allows(self, method: str) -> bool:
        return self.methods is None or method in self.methods

    def upstream_path(self, public_path: str) -> str:
        """Rewrite a matched public path to the upstream's path (prefix swap)."""
        return (
            self.path + public_path[len(self.public) :]
            if self.path != "/"
            else public_path[len(self.public) :] or "/"
        )


class RouteTable(BaseModel):
    model_config = ConfigDict(frozen=True)

    version: int
    rate_limits: dict[str, RateLimitClass]
    routes: tuple[Route, ...]


def _check_references(table: RouteTable, upstreams: Iterable[str]) -> list[str]:
    known = set(upstreams)
    problems = []
    seen: dict[tuple[str, str], str] = {}
    for route in table.routes:
        if route.upstream not in known:
            problems.append(
                f"route {route.name}: unknown upstream {route.upstream!r} (known: {sorted(known)})"
            )
        if route.rate_limit not in table.rate_limits:
            problems.append(f"route {route.name}: unknown rate-limit class {route.rate_limit!r}")
        for method in route.methods or {"*"}:
            key = (route.public, method)
            if key in seen:
                problems.append(f"route {route.name}: {method} {route.public} already routed by {seen[key]}")
            seen[key] = route.name
    if len({r.name for r in table.routes}) != len(table.routes):
        problems.append("route names must be unique")
    return problems


def parse_table(raw: dict[str, Any], *, upstreams: Iterable[str], environment: str) -> RouteTable:
    """Validate a parsed table against the known upstreams; drop routes not meant for this environment."""
    try:
        defaults = RouteDefaults.model_validate(raw.get("defaults", {}))
        routes = [Route.model_validate({**defaults.model_dump(), **entry}) for entry in raw.get("routes", [])]
        table = RouteTable(
            version=raw.get("version", 0), rate_limits=raw.get("rate_limits", {}), routes=tuple(routes)
        )
    except ValidationError as exc:
        raise RouteTableError(f"route table invalid:\n{exc}") from exc
    if table.version != 1:
        raise RouteTableError(f"route table version {table.version} not supported (expected 1)")
    if problems := _check_references(table, upstreams):
        raise RouteTableError("route table invalid:\n" + "\n".join(problems))
    active = tuple(r for r in table.routes if r.environments is None or environment in r.environments)
    return table.model_copy(update={"routes": active})


def load_table(path: Path | None, *, upstreams: Iterable[str], environment: str) -> RouteTable:
    """Read and validate the route table file (the packaged routes.toml by default)."""
    source = path or DEFAULT_ROUTES_FILE
    try:
        raw = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RouteTableError(f"cannot read route table {source}: {exc}") from exc
    return parse_table(raw, upstreams=upstreams, environment=environment)
