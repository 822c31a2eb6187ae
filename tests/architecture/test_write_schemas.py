"""Every JSON write schema of every service refuses unknown fields (issue 14 item 10; docs/conventions.md).

A client that misspells a field, or sends one it may not change, gets a 422 naming it instead of a 200
that silently changed nothing.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from hues_launcher.registry import SERVICES
from tests.architecture.apps import SERVICE_PACKAGES


def body_schemas(openapi: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Request-body object schemas, and the object schemas nested in them."""
    schemas = openapi.get("components", {}).get("schemas", {})
    found: dict[str, dict[str, Any]] = {}

    def refs(node: Any) -> list[str]:
        if isinstance(node, dict):
            own = [node["$ref"]] if "$ref" in node else []
            return own + [ref for value in node.values() for ref in refs(value)]
        if isinstance(node, list):
            return [ref for value in node for ref in refs(value)]
        return []

    def walk(name: str) -> None:
        if name in found or schemas[name].get("type") != "object":
            return
        found[name] = schemas[name]
        for ref in refs(schemas[name].get("properties", {})):
            walk(ref.rsplit("/", 1)[-1])

    for path in openapi["paths"].values():
        for operation in path.values():
            content = operation.get("requestBody", {}).get("content", {})
            for ref in refs(content.get("application/json", {}).get("schema", {})):
                walk(ref.rsplit("/", 1)[-1])
    return found


@pytest.mark.parametrize("package", sorted(SERVICE_PACKAGES.values()))
def test_every_json_write_schema_refuses_unknown_fields(package: str) -> None:
    entry = next(entry for entry in SERVICES.values() if entry.module == f"{package}.main")
    app = importlib.import_module(entry.module).create_app(entry.settings(environment="development"))
    schemas = body_schemas(app.openapi())
    lenient = sorted(
        name for name, schema in schemas.items() if schema.get("additionalProperties") is not False
    )
    assert lenient == [], f"{package}: write schemas that ignore unknown fields: {lenient}"
