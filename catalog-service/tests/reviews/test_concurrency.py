"""Reviews under concurrency on real PostgreSQL: one per citizen and offering; the rating counts every one."""

import asyncio

import pytest

from catalog_service.testing import CatalogApi, Personas, eventually
from hues_shared.testing.apps import RunningService

pytestmark = pytest.mark.postgres


async def test_simultaneous_first_reviews_by_one_citizen_leave_one_review(
    catalog_pg: RunningService, personas: Personas
) -> None:
    api = CatalogApi(catalog_pg.client, personas)
    provider, _ = await api.create_provider("Hội Ẩm thực Huế", "organization")
    offering = await api.publish(provider["id"], title="Bún bò Huế Mệ Kéo")
    me = personas.citizen()
    url = f"/v1/offerings/{offering['id']}/reviews/mine"
    answers = await asyncio.gather(
        *(api.client.put(url, json={"rating": r}, headers=me) for r in (1, 2, 3, 4, 5))
    )
    assert {a.status_code for a in answers} <= {200, 201, 409}
    assert [a.status_code for a in answers].count(201) == 1
    listed = (await api.client.get(f"/v1/offerings/{offering['id']}/reviews")).json()["items"]
    assert len(listed) == 1


async def test_the_rating_counts_every_concurrent_review(
    catalog_pg: RunningService, personas: Personas
) -> None:
    api = CatalogApi(catalog_pg.client, personas)
    provider, _ = await api.create_provider("Hội Ẩm thực Huế", "organization")
    offering = await api.publish(provider["id"], title="Bún bò Huế Mệ Kéo")
    url = f"/v1/offerings/{offering['id']}/reviews/mine"
    await asyncio.gather(
        *(api.client.put(url, json={"rating": 4}, headers=personas.citizen()) for _ in range(12))
    )

    async def all_counted() -> bool:
        body = (await api.client.get(f"/v1/offerings/{offering['id']}")).json()
        return bool(body["rating_count"] == 12 and body["rating_average"] == 4.0)

    await eventually(all_counted)
