"""Merge the services' OpenAPI documents into one, at the public paths, with the gateway's policy on each
operation; only operations the route table actually exposes appear."""

from __future__ import annotations

import copy
from typing import Any

from gateway.routing.matcher import NoRoute, RouteMatcher
from gateway.routing.table import Access, Route

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
BEARER = "bearerAuth"
SECURITY_SCHEMES = {
    BEARER: {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "Access token from POST /v1/identity/auth/token (ES256, verified against the JWKS).",
    }
}


def public_path_for(matcher: RouteMatcher, upstream: str, method: str, path: str) -> tuple[str, Route] | None:
    """The public path that the gateway routes to `path` of `upstream`, if any route exposes it."""
    candidates = sorted(matcher.routes_for_upstream(upstream), key=lambda r: len(r.path), reverse=True)
    for route in candidates:
        if not (path == route.path or path.startswith(route.path.rstrip("/") + "/")) or not route.allows(
            method
        ):
            continue
        public = route.public + path[len(route.path) :] if route.path != "/" else route.public + path
        try:
            match = matcher.match(method, public)
        except NoRoute:
            continue
        if match.route.upstream == upstream and match.upstream_path == path:
            return public, match.route
    return None


def _rename_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[1]
            if name in renames:
                node = {**node, "$ref": f"#/components/schemas/{renames[name]}"}
        return {k: _rename_refs(v, renames) for k, v in node.items()}
    if isinstance(node, list):
        return [_rename_refs(v, renames) for v in node]
    return node


def _policy_note(route: Route) -> str:
    parts = [f"Gateway route `{route.name}`: access `{route.access.value}`, rate limit `{route.rate_limit}`"]
    if route.require_any_role:
        parts.append(f"one of the roles {', '.join(sorted(route.require_any_role))}")
    if route.require_any_permission:
        parts.append(
            f"one of the function permissions {', '.join(sorted(route.require_any_permission))} (Art. 15.1)"
        )
    return "; ".join(parts) + "."


def _security(route: Route) -> list[dict[str, list[str]]]:
    if route.access is Access.PUBLIC:
        return []
    if route.access is Access.OPTIONAL:
        return [{BEARER: []}, {}]
    return [{BEARER: []}]


def merge_documents(
    base: dict[str, Any], documents: dict[str, dict[str, Any]], matcher: RouteMatcher
) -> dict[str, Any]:
    """`base` is the gateway's own document; `documents` maps upstream name -> that service's document."""
    merged = copy.deepcopy(base)
    paths: dict[str, Any] = merged.setdefault("paths", {})
    components = merged.setdefault("components", {})
    schemas: dict[str, Any] = components.setdefault("schemas", {})
    components.setdefault("securitySchemes", {}).update(SECURITY_SCHEMES)
    tags: list[dict[str, Any]] = merged.setdefault("tags", [])
    for upstream, document in sorted(documents.items()):
        own_schemas = document.get("components", {}).get("schemas", {})
        renames = {
            name: f"{name}_{upstream}"
            for name, schema in own_schemas.items()
            if name in schemas and schemas[name] != schema
        }
        document = _rename_refs(document, renames)
        for name, schema in document.get("components", {}).get("schemas", {}).items():
            schemas.setdefault(name, schema)
        used_tags: set[str] = set()
        for path, item in document.get("paths", {}).items():
            for method in METHODS:
                operation = item.get(method)
                if operation is None:
                    continue
                found = public_path_for(matcher, upstream, method.upper(), path)
                if found is None:
                    continue
                public, route = found
                operation = dict(operation)
                operation["tags"] = [f"{upstream}: {tag}" for tag in operation.get("tags", [])] or [upstream]
                used_tags.update(operation["tags"])
                if "operationId" in operation:
                    operation["operationId"] = f"{upstream}__{operation['operationId']}"
                operation["description"] = (
                    operation.get("description", "") + "\n\n" + _policy_note(route)
                ).strip()
                operation["security"] = _security(route)
                operation["x-upstream"] = f"{upstream}-service"
                target = paths.setdefault(public, {})
                if "parameters" in item:
                    target.setdefault("parameters", item["parameters"])
                target[method] = operation
        tags.extend({"name": tag, "description": f"From {upstream}-service"} for tag in sorted(used_tags))
    return merged
