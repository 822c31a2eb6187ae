from hues_shared.testing.apps import RunningService


async def test_categories_filter_by_kind(catalog: RunningService) -> None:
    response = await catalog.client.get("/v1/categories", params={"kind": "goods"})
    assert response.status_code == 200
    codes = {c["code"] for c in response.json()}
    assert "food" in codes and "healthcare" not in codes


async def test_unknown_kind_is_a_422_problem_naming_the_field(catalog: RunningService) -> None:
    response = await catalog.client.get("/v1/categories", params={"kind": "weapons"})
    assert response.status_code == 422
    body = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert body["errors"][0]["field"] == "kind"
