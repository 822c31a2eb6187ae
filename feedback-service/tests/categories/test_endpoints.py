from feedback_service.testing import PHU_XUAN, FeedbackDriver
from hues_shared.testing.apps import RunningService

HUE_S_CATEGORIES = {
    "environment", "roads-traffic", "urban-order", "electricity", "water-supply", "lighting", "trees",
    "construction", "noise", "food-safety", "tourism", "public-servants", "other",
}  # fmt: skip


async def test_categories_are_public_and_vietnamese_by_default(feedback: RunningService) -> None:
    response = await feedback.client.get("/v1/categories")
    assert response.status_code == 200
    by_code = {c["code"]: c for c in response.json()}
    assert set(by_code) == HUE_S_CATEGORIES
    assert by_code["roads-traffic"]["name"] == "Giao thông, đường sá"
    assert by_code["roads-traffic"]["handling_hours"] == 24
    assert by_code["roads-traffic"]["handling_days"] == 3


async def test_categories_in_english_when_asked(feedback: RunningService) -> None:
    response = await feedback.client.get("/v1/categories", headers={"Accept-Language": "en-US,vi;q=0.5"})
    by_code = {c["code"]: c for c in response.json()}
    assert by_code["roads-traffic"]["name"] == "Roads and traffic"


async def test_ioc_changes_a_deadline_with_if_match(api: FeedbackDriver) -> None:
    etag = (await api.client.get("/v1/categories/noise")).headers["ETag"]
    response = await api.client.patch(
        "/v1/categories/noise", json={"handling_hours": 16}, headers={**api.ioc(), "If-Match": etag}
    )
    assert response.status_code == 200, response.text
    assert response.json()["handling_hours"] == 16
    assert response.headers["ETag"] != etag


async def test_category_edit_without_if_match_is_428(api: FeedbackDriver) -> None:
    response = await api.client.patch("/v1/categories/noise", json={"handling_hours": 16}, headers=api.ioc())
    assert response.status_code == 428
    assert response.json()["type"].endswith("/if-match-required")


async def test_category_edit_on_a_stale_etag_is_412(api: FeedbackDriver) -> None:
    etag = (await api.client.get("/v1/categories/noise")).headers["ETag"]
    headers = {**api.ioc(), "If-Match": etag}
    assert (
        await api.client.patch("/v1/categories/noise", json={"handling_hours": 16}, headers=headers)
    ).is_success
    stale = await api.client.patch("/v1/categories/noise", json={"handling_hours": 8}, headers=headers)
    assert stale.status_code == 412


async def test_officer_cannot_edit_categories(api: FeedbackDriver) -> None:
    unit_id = await api.add_unit()
    response = await api.client.patch(
        "/v1/categories/noise", json={"handling_hours": 1}, headers={**api.officer(unit_id), "If-Match": "*"}
    )
    assert response.status_code == 403


async def test_category_edit_refuses_unknown_fields(api: FeedbackDriver) -> None:
    response = await api.client.patch(
        "/v1/categories/noise", json={"code": "x"}, headers={**api.ioc(), "If-Match": "*"}
    )
    assert response.status_code == 422


async def test_ioc_sets_a_routing_rule_for_a_ward(api: FeedbackDriver) -> None:
    unit_id = await api.add_unit()
    response = await api.client.put(
        "/v1/categories/trees/routing-rules",
        json={"ward_code": PHU_XUAN, "unit_id": unit_id},
        headers=api.ioc(),
    )
    assert response.status_code == 200, response.text
    rules = (await api.client.get("/v1/categories/trees/routing-rules", headers=api.ioc())).json()
    assert [(r["ward_code"], r["unit_id"]) for r in rules] == [(None, None), (PHU_XUAN, unit_id)]


async def test_field_categories_are_seeded_with_the_ward_committee_rule(api: FeedbackDriver) -> None:
    rules = (await api.client.get("/v1/categories/trees/routing-rules", headers=api.ioc())).json()
    assert [(r["ward_code"], r["target"], r["unit_id"]) for r in rules] == [(None, "ward_committee", None)]
    assert (await api.client.get("/v1/categories/other/routing-rules", headers=api.ioc())).json() == []


async def test_a_unit_rule_needs_a_unit_and_a_committee_rule_none(api: FeedbackDriver) -> None:
    url = "/v1/categories/other/routing-rules"
    assert (await api.client.put(url, json={"target": "unit"}, headers=api.ioc())).status_code == 422
    both = {"target": "ward_committee", "unit_id": "u"}
    assert (await api.client.put(url, json=both, headers=api.ioc())).status_code == 422
    committee = await api.client.put(url, json={"target": "ward_committee"}, headers=api.ioc())
    assert committee.status_code == 200 and committee.json()["unit_id"] is None


async def test_routing_rule_to_an_unknown_unit_is_refused(api: FeedbackDriver) -> None:
    response = await api.client.put(
        "/v1/categories/trees/routing-rules", json={"ward_code": None, "unit_id": "nope"}, headers=api.ioc()
    )
    assert response.status_code == 422
    assert response.json()["type"].endswith("/unknown-unit")


async def test_citizen_cannot_set_routing_rules(api: FeedbackDriver) -> None:
    response = await api.client.put(
        "/v1/categories/trees/routing-rules", json={"ward_code": None, "unit_id": "x"}, headers=api.citizen()
    )
    assert response.status_code == 403
