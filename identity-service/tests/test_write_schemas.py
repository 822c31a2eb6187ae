"""Every write schema refuses unknown fields with 422 (issue 14, item 10; conventions: extra="forbid")."""

from typing import Any

from hues_shared.testing.tokens import bearer
from identity_service.testing import CITIZEN_CCCD, IdentityDriver


def _body_schemas(openapi: dict[str, Any]) -> dict[str, dict[str, Any]]:
    schemas = openapi["components"]["schemas"]
    found: dict[str, dict[str, Any]] = {}

    def walk(name: str) -> None:
        if name in found or schemas[name].get("type") != "object":
            return  # enums (Sex, UnitKind, ...) have no fields to refuse
        found[name] = schemas[name]
        for prop in schemas[name].get("properties", {}).values():
            for ref in [prop.get("$ref"), *(a.get("$ref") for a in prop.get("anyOf", []))]:
                if ref:
                    walk(ref.rsplit("/", 1)[-1])

    for path in openapi["paths"].values():
        for operation in path.values():
            content = operation.get("requestBody", {}).get("content", {})
            ref = content.get("application/json", {}).get("schema", {}).get("$ref")
            if ref:
                walk(ref.rsplit("/", 1)[-1])
    return found


async def test_every_json_write_schema_refuses_unknown_fields(api: IdentityDriver) -> None:
    schemas = _body_schemas((await api.client.get("/openapi.json")).json())
    assert len(schemas) >= 14
    lenient = [name for name, schema in schemas.items() if schema.get("additionalProperties") is not False]
    assert lenient == []


async def test_a_profile_change_with_an_unknown_field_is_refused(api: IdentityDriver) -> None:
    """`PATCH /v1/me` with {"phone": ...} answered 200, changed nothing and audited no field."""
    await api.active_citizen()
    headers = bearer(await api.access_token(CITIZEN_CCCD))
    response = await api.client.patch("/v1/me", json={"phone": "0909999999"}, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "phone"
