"""Find the route for a request: the longest public prefix (on a segment boundary) that allows the method."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.routing.table import Route, RouteTable


@dataclass(frozen=True)
class RouteMatch:
    route: Route
    upstream_path: str


class NoRoute(Exception):
    """No route serves this path (404), or routes serve it but not with this method (405)."""

    def __init__(self, *, allowed: frozenset[str]) -> None:
        super().__init__("no route")
        self.allowed = allowed


class RouteMatcher:
    def __init__(self, table: RouteTable) -> None:
        # Longest prefix first, so /v1/identity/me/password wins over /v1/identity/me.
        self.routes = sorted(table.routes, key=lambda r: len(r.public), reverse=True)

    def match(self, method: str, path: str) -> RouteMatch:
        """Return the route for (method, path) or raise NoRoute with the methods the path does allow."""
        allowed: set[str] = set()
        for route in self.routes:
            public = route.public
            if not (path == public or path.startswith(public + "/") or public == "/"):
                continue
            if route.allows(method):
                return RouteMatch(route, route.upstream_path(path))
            # Like Kong, a route restricted to some methods lets other methods fall to a wider prefix.
            allowed.update(route.methods or ())
        raise NoRoute(allowed=frozenset(allowed))

    def routes_for_upstream(self, upstream: str) -> list[Route]:
        return [r for r in self.routes if r.upstream == upstream]
