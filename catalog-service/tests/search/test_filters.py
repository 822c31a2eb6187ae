"""Search filters: category tree, ward, provider, open now (SQL slots vs the Python rule), nearby."""

from datetime import datetime, timedelta
from typing import Any

import pytest

from catalog_service.offerings import opening
from catalog_service.testing import CORPUS, WARD, CatalogApi

pytestmark = pytest.mark.usefixtures("corpus")
DAI_NOI = {"lat": 16.4698, "lng": 107.5786}


async def test_category_includes_its_sub_categories(api: CatalogApi) -> None:
    titles = await api.search(category="tourism", limit=50)
    assert "Đại Nội Huế" in titles and "Phở bò Huế" in titles and "Khách sạn Hương Giang" in titles
    assert "Chợ Đông Ba" not in titles


async def test_ward_filter(api: CatalogApi) -> None:
    titles = await api.search(ward_code=WARD["thuy_xuan"])
    assert set(titles) == {"Lăng Tự Đức", "Lăng Khải Định"}


async def test_provider_filter(api: CatalogApi, corpus: dict[str, dict[str, Any]]) -> None:
    provider_id = corpus["Chợ Đông Ba"]["provider"]["id"]
    assert set(await api.search(provider_id=provider_id)) == {
        "Chợ Đông Ba",
        "Chợ Bến Ngự",
        "Siêu thị Co.opmart Huế",
    }


async def test_open_at_respects_opening_and_closing_minutes(api: CatalogApi) -> None:
    assert "Chợ Bến Ngự" in await api.search(q="cho", open_at="2026-12-04T11:59:00+07:00")
    assert "Chợ Bến Ngự" not in await api.search(q="cho", open_at="2026-12-04T12:00:00+07:00")
    assert "Chợ Bến Ngự" not in await api.search(q="cho", open_at="2026-12-04T04:59:00+07:00")
    assert "Chợ Bến Ngự" in await api.search(q="cho", open_at="2026-12-04T05:00:00+07:00")


async def test_open_at_across_midnight(api: CatalogApi) -> None:
    assert await api.search(q="banh canh", open_at="2026-12-05T01:30:00+07:00") == ["Bánh canh Nam Phổ đêm"]
    assert await api.search(q="banh canh", open_at="2026-12-05T02:00:00+07:00") == []
    assert await api.search(q="banh canh", open_at="2026-12-04T17:59:00+07:00") == []


async def test_open_at_is_read_in_vietnam_time(api: CatalogApi) -> None:
    # 23:30 UTC on the 4th is 06:30 on the 5th in Hue: the market opened at 05:00.
    assert "Chợ Bến Ngự" in await api.search(q="cho", open_at="2026-12-04T23:30:00+00:00")


async def test_open_now_lists_what_is_open_all_day(api: CatalogApi) -> None:
    titles = await api.search(open_now="true", limit=50)
    assert "Bệnh viện Trung ương Huế" in titles and "Khách sạn Hương Giang" in titles
    assert "Đại học Huế" not in titles  # no opening hours given


async def test_exception_day_closes_and_the_filter_follows(
    api: CatalogApi, corpus: dict[str, dict[str, Any]]
) -> None:
    offering = corpus["Chợ Đông Ba"]
    staff = api.managers[offering["provider"]["id"]]
    etag = (await api.client.get(f"/v1/offerings/{offering['id']}")).headers["etag"]
    holiday = [{"date": "2026-12-04", "closed": True, "note": "Sửa chữa"}]
    response = await api.client.patch(
        f"/v1/offerings/{offering['id']}",
        json={"hour_exceptions": holiday},
        headers={**staff, "If-Match": etag},
    )
    assert response.status_code == 200, response.text
    assert "Chợ Đông Ba" not in await api.search(q="cho", open_at="2026-12-04T10:00:00+07:00")
    assert "Chợ Đông Ba" in await api.search(q="cho", open_at="2026-12-05T10:00:00+07:00")


async def test_nearest_first_from_a_point(api: CatalogApi) -> None:
    response = await api.client.get("/v1/search", params={**DAI_NOI, "sort": "distance", "limit": 3})
    hits = response.json()["items"]
    assert hits[0]["title"] == "Đại Nội Huế" and hits[0]["distance_m"] < 1
    distances = [h["distance_m"] for h in hits]
    assert distances == sorted(distances)


async def test_radius_keeps_only_what_is_within_it(api: CatalogApi) -> None:
    response = await api.client.get(
        "/v1/search", params={**DAI_NOI, "radius_m": 1200, "sort": "distance", "limit": 50}
    )
    hits = response.json()["items"]
    assert hits and all(h["distance_m"] <= 1200 for h in hits)
    assert "Lăng Khải Định" not in {h["title"] for h in hits}  # about 8 km away


async def test_distance_sort_without_a_location_is_a_400_problem(api: CatalogApi) -> None:
    response = await api.client.get("/v1/search", params={"sort": "distance"})
    assert response.status_code == 400
    assert response.json()["type"].endswith("/location-required")


async def test_pages_follow_the_cursor_without_repeats(api: CatalogApi) -> None:
    first = (await api.client.get("/v1/search", params={"q": "hue", "limit": 3})).json()
    second = (
        await api.client.get("/v1/search", params={"q": "hue", "limit": 3, "cursor": first["next_cursor"]})
    ).json()
    titles = [h["title"] for h in first["items"] + second["items"]]
    assert len(titles) == 6 and len(set(titles)) == 6


async def test_exceptions_in_the_corpus_close_a_day_and_open_a_night(api: CatalogApi) -> None:
    assert await api.search(q="dai noi", open_at="2026-12-04T10:00:00+07:00") == ["Đại Nội Huế"]
    assert await api.search(q="dai noi", open_at="2026-12-05T10:00:00+07:00") == []  # closed for maintenance
    assert await api.search(q="dai noi", open_at="2026-12-06T10:00:00+07:00") == []  # only the night opening
    assert await api.search(q="dai noi", open_at="2026-12-07T00:30:00+07:00") == ["Đại Nội Huế"]


async def test_one_offerings_closed_day_does_not_close_the_others(api: CatalogApi) -> None:
    # Đại Nội is closed on 2026-12-05 (corpus exception); the markets open as usual.
    titles = await api.search(open_at="2026-12-05T10:00:00+07:00", limit=50)
    assert "Đại Nội Huế" not in titles and "Chợ Đông Ba" in titles


async def test_the_sql_filter_and_the_python_rule_agree_on_the_corpus(api: CatalogApi) -> None:
    """Every half hour over three days (exceptions, nights across midnight): same open set both ways."""
    schedules = {
        title: opening.schedule_of(hours, extra.get("hour_exceptions", []))
        for _, title, *_, hours, extra in CORPUS
    }
    start = datetime(2026, 12, 4, 12, 0, tzinfo=opening.VIETNAM)
    for step in range(0, 64 * 30, 30):
        at = start + timedelta(minutes=step)
        expected = {
            title
            for title, (weekly, exceptions) in schedules.items()
            if opening.is_open(weekly, exceptions, at)
        }
        assert set(await api.search(open_at=at.isoformat(), limit=100)) == expected, at


async def test_half_a_location_is_a_400_problem(api: CatalogApi) -> None:
    response = await api.client.get("/v1/search", params={"lat": 16.47})
    assert response.status_code == 400 and response.json()["type"].endswith("/incomplete-location")


async def test_malformed_filters_are_422_naming_the_field(api: CatalogApi) -> None:
    for params, field in [
        ({"ward_code": "Phu Xuan"}, "ward_code"),
        ({"q": "x" * 201}, "q"),
        ({"lat": 91}, "lat"),
    ]:
        response = await api.client.get("/v1/search", params=params)
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == field, params


async def test_open_at_without_an_offset_is_a_400_problem(api: CatalogApi) -> None:
    response = await api.client.get("/v1/search", params={"open_at": "2026-12-04T10:00:00"})
    assert response.status_code == 400 and response.json()["type"].endswith("/naive-time")
