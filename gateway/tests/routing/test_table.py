"""The route table is validated at start-up; routing picks the most specific prefix."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.config import UPSTREAM_NAMES, GatewaySettings
from gateway.main import create_app
from gateway.routing.matcher import NoRoute, RouteMatcher
from gateway.routing.table import RouteTableError, load_table, parse_table

MINIMAL = """
version = 1
[rate_limits.standard]
limits = [{ key = "address", rate = "10/minute" }]
"""


def table(routes: str, environment: str = "test") -> Any:
    import tomllib

    return parse_table(tomllib.loads(MINIMAL + routes), upstreams=UPSTREAM_NAMES, environment=environment)


def test_packaged_table_loads_and_covers_every_upstream() -> None:
    loaded = load_table(None, upstreams=UPSTREAM_NAMES, environment="development")
    assert {r.upstream for r in loaded.routes} == set(UPSTREAM_NAMES)


def test_unknown_upstream_fails_start_up(tmp_path: Any) -> None:
    routes = tmp_path / "routes.toml"
    routes.write_text(
        MINIMAL + '[[routes]]\nname="x"\nupstream="billing"\npublic="/v1/billing"\npath="/v1"\n'
    )
    with pytest.raises(RouteTableError, match="unknown upstream 'billing'"):
        create_app(GatewaySettings(environment="test", routes_file=routes))


def test_unknown_permission_fails_start_up() -> None:
    with pytest.raises(RouteTableError, match="unknown function permissions"):
        table(
            '[[routes]]\nname="x"\nupstream="feedback"\npublic="/v1/f"\npath="/v1"\nrequire_any_permission=["feedback.nope"]\n'
        )


def test_unknown_rate_limit_class_fails_start_up() -> None:
    with pytest.raises(RouteTableError, match="unknown rate-limit class"):
        table('[[routes]]\nname="x"\nupstream="feedback"\npublic="/v1/f"\npath="/v1"\nrate_limit="gold"\n')


def test_public_route_cannot_require_a_role() -> None:
    with pytest.raises(RouteTableError, match="roles or permissions need access"):
        table(
            '[[routes]]\nname="x"\nupstream="feedback"\npublic="/v1/f"\npath="/v1"\naccess="public"\nrequire_any_role=["dic_admin"]\n'
        )


def test_development_only_route_is_absent_in_production() -> None:
    production = load_table(None, upstreams=UPSTREAM_NAMES, environment="production")
    development = load_table(None, upstreams=UPSTREAM_NAMES, environment="development")
    assert "identity.dev-otp" in {r.name for r in development.routes}
    assert "identity.dev-otp" not in {r.name for r in production.routes}


def test_longest_prefix_wins_and_path_is_rewritten() -> None:
    matcher = RouteMatcher(load_table(None, upstreams=UPSTREAM_NAMES, environment="test"))
    match = matcher.match("POST", "/v1/identity/me/password")
    assert (match.route.name, match.upstream_path) == ("identity.password-change", "/v1/me/password")
    assert matcher.match("GET", "/v1/identity/me").upstream_path == "/v1/me"
    assert matcher.match("GET", "/v1/catalog/categories").upstream_path == "/v1/categories"
    assert matcher.match("GET", "/v1/feedback/categories").route.upstream == "feedback"


def test_prefix_matches_only_on_a_segment_boundary() -> None:
    matcher = RouteMatcher(load_table(None, upstreams=UPSTREAM_NAMES, environment="test"))
    assert matcher.match("GET", "/v1/identity/meadow").route.name == "identity.other"


def test_method_outside_a_restricted_route_falls_to_the_wider_prefix() -> None:
    matcher = RouteMatcher(load_table(None, upstreams=UPSTREAM_NAMES, environment="test"))
    assert matcher.match("POST", "/v1/catalog/categories").route.name == "catalog.other"


def test_no_route_reports_the_methods_the_path_allows() -> None:
    matcher = RouteMatcher(load_table(None, upstreams=UPSTREAM_NAMES, environment="test"))
    with pytest.raises(NoRoute) as miss:
        matcher.match("POST", "/.well-known/jwks.json")
    assert miss.value.allowed == {"GET", "HEAD"}
    with pytest.raises(NoRoute) as nothing:
        matcher.match("GET", "/v2/anything")
    assert not nothing.value.allowed
