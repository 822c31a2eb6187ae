"""Cursor pagination: opaque cursors, bounded page sizes, invalid cursors as problems."""

from __future__ import annotations

import pytest

from hues_shared.pagination import MAX_PAGE_SIZE, decode_cursor, encode_cursor, keyset_page
from hues_shared.problems import BadRequest
from hues_shared.testing.apps import RunningService


def test_cursor_round_trips_and_is_url_safe() -> None:
    cursor = encode_cursor(["2025-07-01T00:00:00+07:00", 42, "Huế"])
    assert "=" not in cursor and "+" not in cursor and "/" not in cursor
    assert decode_cursor(cursor) == ["2025-07-01T00:00:00+07:00", 42, "Huế"]


def test_no_cursor_means_the_first_page() -> None:
    assert decode_cursor(None) is None and decode_cursor("") is None


@pytest.mark.parametrize("cursor", ["%%%", "bm90IGpzb24", encode_cursor.__name__, "eyJhIjoxfQ"])
def test_tampered_cursor_is_a_bad_request(cursor: str) -> None:
    with pytest.raises(BadRequest):
        decode_cursor(cursor)


async def test_pages_walk_the_whole_list_once(lab_service: RunningService) -> None:
    for i in range(5):
        assert (await lab_service.client.post("/v1/lab/items", json={"name": f"item-{i}"})).status_code == 201
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = (await lab_service.client.get("/v1/lab/items", params=params)).json()
        seen += [item["name"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"item-{i}" for i in range(5)]


async def test_page_size_is_bounded(lab_service: RunningService) -> None:
    response = await lab_service.client.get("/v1/lab/items", params={"limit": MAX_PAGE_SIZE + 1})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "limit"
    assert (await lab_service.client.get("/v1/lab/items", params={"limit": 0})).status_code == 422


async def test_invalid_cursor_is_a_400_problem(lab_service: RunningService) -> None:
    response = await lab_service.client.get("/v1/lab/items", params={"cursor": "!!"})
    assert response.status_code == 400 and response.json()["type"].endswith("/invalid-cursor")


async def test_keyset_page_walks_a_sorted_list_once_in_pages_of_the_given_size() -> None:
    rows = [{"id": n} for n in range(7)]

    async def fetch(after: list[object] | None, size: int) -> list[dict[str, int]]:
        start = 0 if after is None else int(str(after[0])) + 1
        return rows[start : start + size]

    seen, cursor, sizes = [], None, []
    while True:
        page = await keyset_page(
            fetch, cursor=cursor, limit=3, key=lambda r: [r["id"]], item=lambda r: r["id"]
        )
        seen += page.items
        sizes.append(len(page.items))
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == list(range(7)) and sizes == [3, 3, 1]


async def test_keyset_page_refuses_a_cursor_of_another_list() -> None:
    async def fetch(after: list[object] | None, size: int) -> list[int]:
        return []

    with pytest.raises(BadRequest):
        await keyset_page(fetch, cursor=encode_cursor(["a", 1]), limit=3, key=lambda r: [r], item=lambda r: r)
