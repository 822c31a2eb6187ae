"""Ratings and reviews (Art. 12.2): citizens, one per offering, replies, abuse reports, moderation."""

import uuid
from datetime import UTC, datetime
from typing import Any

from catalog_service.testing import CatalogApi, Personas, eventually
from hues_shared.contracts.catalog import ReviewModerated, ReviewPosted
from hues_shared.contracts.identity import AccountClosed
from hues_shared.events.outbox import envelope_for
from hues_shared.testing.apps import RunningService
from hues_shared.testing.events import outbox_events


async def _offering(api: CatalogApi) -> tuple[dict[str, Any], dict[str, str]]:
    provider, staff = await api.create_provider("Hội Ẩm thực Huế", "organization")
    return await api.publish(provider["id"], title="Bún bò Huế Mệ Kéo"), staff


async def _rating(api: CatalogApi, offering_id: str) -> tuple[float | None, int]:
    body = (await api.client.get(f"/v1/offerings/{offering_id}")).json()
    return body["rating_average"], body["rating_count"]


async def _review(
    api: CatalogApi, offering_id: str, headers: dict[str, str], rating: int = 5, text: str = "Ngon"
) -> Any:
    return await api.client.put(
        f"/v1/offerings/{offering_id}/reviews/mine", json={"rating": rating, "text": text}, headers=headers
    )


async def test_a_citizen_reviews_once_and_edits_the_same_review(
    api: CatalogApi, personas: Personas, catalog: RunningService
) -> None:
    offering, _ = await _offering(api)
    me = personas.citizen()
    first = await _review(api, offering["id"], me, 4)
    again = await _review(api, offering["id"], me, 2, "Đông quá")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"] and again.json()["rating"] == 2 and again.json()["mine"]
    listed = (await api.client.get(f"/v1/offerings/{offering['id']}/reviews")).json()["items"]
    assert len(listed) == 1 and listed[0]["mine"] is False
    assert [e.edited for e in await outbox_events(catalog.runtime, ReviewPosted)] == [False, True]


async def test_ratings_outside_one_to_five_are_422(api: CatalogApi, personas: Personas) -> None:
    offering, _ = await _offering(api)
    for rating in (0, 6):
        assert (await _review(api, offering["id"], personas.citizen(), rating)).status_code == 422


async def test_only_citizens_review(api: CatalogApi, personas: Personas) -> None:
    offering, staff = await _offering(api)
    assert (await _review(api, offering["id"], staff)).status_code == 403  # the provider rating itself
    assert (await _review(api, offering["id"], personas.officer("U1"))).status_code == 403
    assert (
        await api.client.put(f"/v1/offerings/{offering['id']}/reviews/mine", json={"rating": 5})
    ).status_code == 401


async def test_a_citizen_with_an_expired_password_cannot_review(api: CatalogApi, personas: Personas) -> None:
    offering, _ = await _offering(api)
    token = personas.keys.token(roles=["citizen"], pwd_expired=True)
    response = await _review(api, offering["id"], {"Authorization": f"Bearer {token}"})
    assert response.status_code == 403 and response.json()["type"].endswith("/password-expired")


async def test_a_suspended_offering_cannot_be_reviewed(api: CatalogApi, personas: Personas) -> None:
    offering, _ = await _offering(api)
    await api.client.post(
        f"/v1/offerings/{offering['id']}/suspension", json={"reason": "sai"}, headers=personas.ioc_moderator()
    )
    assert (await _review(api, offering["id"], personas.citizen())).status_code == 404


async def test_the_rating_follows_reviews_edits_and_moderation(api: CatalogApi, personas: Personas) -> None:
    offering, _ = await _offering(api)
    me, other = personas.citizen(), personas.citizen()
    await _review(api, offering["id"], me, 5)
    review = (await _review(api, offering["id"], other, 2)).json()

    async def rating_is(expected: tuple[float | None, int]) -> bool:
        return await _rating(api, offering["id"]) == expected

    await eventually(lambda: rating_is((3.5, 2)))
    await _review(api, offering["id"], me, 4)
    await eventually(lambda: rating_is((3.0, 2)))
    hide = {"visible": False, "reason": "xúc phạm"}
    await api.client.post(
        f"/v1/reviews/{review['id']}/moderation", json=hide, headers=personas.ioc_moderator()
    )
    await eventually(lambda: rating_is((4.0, 1)))


async def test_the_providers_own_staff_reply(api: CatalogApi, personas: Personas) -> None:
    offering, staff = await _offering(api)
    review = (await _review(api, offering["id"], personas.citizen())).json()
    response = await api.client.put(
        f"/v1/reviews/{review['id']}/reply", json={"text": "Cảm ơn quý khách"}, headers=staff
    )
    assert response.status_code == 200 and response.json()["reply_text"] == "Cảm ơn quý khách"


async def test_staff_of_another_provider_cannot_reply(api: CatalogApi, personas: Personas) -> None:
    offering, _ = await _offering(api)
    _, rival = await api.create_provider("Quán đối thủ", "organization")
    review = (await _review(api, offering["id"], personas.citizen())).json()
    url = f"/v1/reviews/{review['id']}/reply"
    assert (await api.client.put(url, json={"text": "Đừng tin"}, headers=rival)).status_code == 403
    assert (
        await api.client.put(url, json={"text": "Đừng tin"}, headers=personas.citizen())
    ).status_code == 403


async def test_abuse_is_reported_once_and_moderation_closes_the_report(
    api: CatalogApi, personas: Personas
) -> None:
    offering, _ = await _offering(api)
    review = (await _review(api, offering["id"], personas.citizen(), 1, "lời lẽ xúc phạm")).json()
    reporter = personas.citizen()
    url = f"/v1/reviews/{review['id']}/reports"
    assert (await api.client.post(url, json={"reason": "xúc phạm"}, headers=reporter)).status_code == 201
    assert (await api.client.post(url, json={"reason": "xúc phạm"}, headers=reporter)).status_code == 409
    queue = (await api.client.get("/v1/review-reports", headers=personas.ioc_moderator())).json()["items"]
    assert [r["review_id"] for r in queue] == [review["id"]]
    hide = {"visible": False, "reason": "xúc phạm"}
    assert (
        await api.client.post(
            f"/v1/reviews/{review['id']}/moderation", json=hide, headers=personas.ioc_moderator()
        )
    ).status_code == 200
    assert (await api.client.get("/v1/review-reports", headers=personas.ioc_moderator())).json()[
        "items"
    ] == []
    assert (await api.client.get(f"/v1/offerings/{offering['id']}/reviews")).json()["items"] == []


async def test_only_the_ioc_moderates(api: CatalogApi, personas: Personas) -> None:
    offering, staff = await _offering(api)
    review = (await _review(api, offering["id"], personas.citizen(), 1)).json()
    hide = {"visible": False, "reason": "không thích"}
    url = f"/v1/reviews/{review['id']}/moderation"
    assert (
        await api.client.post(url, json=hide, headers=staff)
    ).status_code == 403  # a provider hiding bad reviews
    assert (await api.client.post(url, json=hide, headers=personas.citizen())).status_code == 403
    assert (await api.client.get("/v1/review-reports", headers=staff)).status_code == 403


async def test_moderation_is_announced(api: CatalogApi, personas: Personas, catalog: RunningService) -> None:
    offering, _ = await _offering(api)
    review = (await _review(api, offering["id"], personas.citizen(), 1)).json()
    hide = {"visible": False, "reason": "spam"}
    await api.client.post(
        f"/v1/reviews/{review['id']}/moderation", json=hide, headers=personas.ioc_moderator()
    )
    assert [e.visible for e in await outbox_events(catalog.runtime, ReviewModerated)] == [False]


async def test_a_closed_account_loses_its_reviews_and_the_rating_is_recounted(
    api: CatalogApi, personas: Personas, catalog: RunningService
) -> None:
    offering, _ = await _offering(api)
    leaving = str(uuid.uuid4())
    await _review(api, offering["id"], personas.citizen(leaving), 1)
    await _review(api, offering["id"], personas.citizen(), 5)
    closed = AccountClosed(account_id=leaving, closed_at=datetime.now(UTC))
    await catalog.runtime.bus.publish([envelope_for(closed, source="/hues/identity-service")])

    async def only_one_left() -> bool:
        return await _rating(api, offering["id"]) == (5.0, 1)

    await eventually(only_one_left)
    assert len((await api.client.get(f"/v1/offerings/{offering['id']}/reviews")).json()["items"]) == 1


async def test_reviews_page_newest_first_without_repeats(api: CatalogApi, personas: Personas) -> None:
    offering, _ = await _offering(api)
    for rating in (1, 2, 3, 4, 5):
        await _review(api, offering["id"], personas.citizen(), rating)
    url = f"/v1/offerings/{offering['id']}/reviews"
    first = (await api.client.get(url, params={"limit": 3})).json()
    rest = (await api.client.get(url, params={"limit": 3, "cursor": first["next_cursor"]})).json()
    ratings = [r["rating"] for r in first["items"] + rest["items"]]
    assert ratings == [5, 4, 3, 2, 1] and rest["next_cursor"] is None
