"""The merged OpenAPI document shows the real services' operations at their public paths."""

from __future__ import annotations

from typing import Any


async def test_colliding_paths_appear_under_each_services_prefix(
    make_gateway: Any, real_services: Any
) -> None:
    gateway = await make_gateway(urls=real_services)
    document = (await gateway.client.get("/openapi.json")).json()
    paths = document["paths"]
    assert "get" in paths["/v1/catalog/categories"]
    assert "get" in paths["/v1/feedback/categories"]
    assert "/v1/categories" not in paths
    assert paths["/v1/catalog/categories"]["get"]["x-upstream"] == "catalog-service"


async def test_protected_operations_carry_the_bearer_scheme(make_gateway: Any, real_services: Any) -> None:
    gateway = await make_gateway(urls=real_services)
    document = (await gateway.client.get("/openapi.json")).json()
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    inbox = document["paths"]["/v1/notification/inbox"]["get"]
    assert inbox["security"] == [{"bearerAuth": []}]
    assert document["paths"]["/v1/catalog/categories"]["get"]["security"] == []
    assert "/healthz" in document["paths"]


async def test_unreachable_service_is_listed_not_fatal(
    make_gateway: Any, real_services: Any, dead_url: str
) -> None:
    gateway = await make_gateway(urls={**real_services, "identity": dead_url})
    document = (await gateway.client.get("/openapi.json")).json()
    assert "identity-service" in document["x-unavailable-upstreams"]
    assert "/v1/catalog/categories" in document["paths"]


async def test_real_service_answers_through_its_public_path(make_gateway: Any, real_services: Any) -> None:
    gateway = await make_gateway(urls=real_services)
    response = await gateway.client.get("/v1/catalog/categories")
    assert response.status_code == 200
    assert isinstance(response.json(), list)


async def test_docs_page_serves_swagger_over_the_merged_document(gateway: Any) -> None:
    response = await gateway.client.get("/docs")
    assert response.status_code == 200
    assert "/openapi.json" in response.text
