from hues_shared.testing.apps import RunningService


async def test_categories_are_public_and_vietnamese_by_default(feedback: RunningService) -> None:
    response = await feedback.client.get("/v1/categories")
    assert response.status_code == 200
    by_code = {c["code"]: c for c in response.json()}
    assert by_code["traffic"]["name"] == "Giao thông"
    assert by_code["traffic"]["handling_days"] == 3
    assert len(by_code) == 11


async def test_categories_in_english_when_asked(feedback: RunningService) -> None:
    response = await feedback.client.get("/v1/categories", headers={"Accept-Language": "en-US,vi;q=0.5"})
    by_code = {c["code"]: c for c in response.json()}
    assert by_code["traffic"]["name"] == "Traffic"
