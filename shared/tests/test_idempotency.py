"""Idempotency-Key: a retried creating POST gets the first answer and creates (and publishes) nothing new."""

from __future__ import annotations

from hues_eventlab import app as lab

from hues_shared.testing.apps import RunningService
from hues_shared.testing.events import outbox_events
from hues_shared.testing.tokens import SigningKeys, bearer


async def test_retry_with_the_same_key_replays_the_first_answer(lab_service: RunningService) -> None:
    headers = {"Idempotency-Key": "retry-1"}
    first = await lab_service.client.post("/v1/lab/items", json={"name": "lamp"}, headers=headers)
    second = await lab_service.client.post("/v1/lab/items", json={"name": "lamp"}, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true" and "idempotent-replayed" not in first.headers
    assert len(await outbox_events(lab_service.runtime, lab.ItemRecorded)) == 1


async def test_without_a_key_a_retry_is_a_new_request(lab_service: RunningService) -> None:
    await lab_service.client.post("/v1/lab/items", json={"name": "lamp"})
    again = await lab_service.client.post("/v1/lab/items", json={"name": "lamp"})
    assert again.status_code == 409


async def test_same_key_with_another_body_is_refused(
    lab_service: RunningService, test_keys: SigningKeys
) -> None:
    headers = {"Idempotency-Key": "retry-2", **bearer(test_keys.token(sub="dave"))}  # one account's key
    await lab_service.client.post("/v1/lab/items", json={"name": "lamp"}, headers=headers)
    other = await lab_service.client.post("/v1/lab/items", json={"name": "desk"}, headers=headers)
    assert other.status_code == 422 and other.json()["type"].endswith("/idempotency-key-reused")
    assert len(await outbox_events(lab_service.runtime, lab.ItemRecorded)) == 1


async def test_keys_are_scoped_to_the_caller(lab_service: RunningService, test_keys: SigningKeys) -> None:
    alice = {"Idempotency-Key": "k", **bearer(test_keys.token(sub="alice"))}
    bob = {"Idempotency-Key": "k", **bearer(test_keys.token(sub="bob"))}
    assert (
        await lab_service.client.post("/v1/lab/items", json={"name": "a"}, headers=alice)
    ).status_code == 201
    response = await lab_service.client.post("/v1/lab/items", json={"name": "b"}, headers=bob)
    assert response.status_code == 201 and "idempotent-replayed" not in response.headers


async def test_empty_or_oversized_key_is_a_bad_request(lab_service: RunningService) -> None:
    for key in (" ", "k" * 201):
        response = await lab_service.client.post(
            "/v1/lab/items", json={"name": "x"}, headers={"Idempotency-Key": key}
        )
        assert response.status_code == 400 and response.json()["type"].endswith("/invalid-idempotency-key")


async def test_retry_after_a_token_refresh_replays_instead_of_creating_a_duplicate(
    lab_service: RunningService, test_keys: SigningKeys
) -> None:
    """Issue 8, item 11: the scope is the account, not the raw Authorization header."""
    before_refresh = {"Idempotency-Key": "refresh-1", **bearer(test_keys.token(sub="carol"))}
    after_refresh = {"Idempotency-Key": "refresh-1", **bearer(test_keys.token(sub="carol"))}  # new token
    first = await lab_service.client.post("/v1/lab/items", json={"name": "bench"}, headers=before_refresh)
    retry = await lab_service.client.post("/v1/lab/items", json={"name": "bench"}, headers=after_refresh)
    assert first.status_code == retry.status_code == 201
    assert retry.headers["idempotent-replayed"] == "true"
    assert len(await outbox_events(lab_service.runtime, lab.ItemRecorded)) == 1


async def test_anonymous_callers_choosing_the_same_key_do_not_share_a_scope(
    lab_service: RunningService,
) -> None:
    """Issue 8, item 11: anonymous keys are scoped with the request fingerprint."""
    headers = {"Idempotency-Key": "1"}  # a key two strangers may well both pick
    first = await lab_service.client.post("/v1/lab/items", json={"name": "kettle"}, headers=headers)
    stranger = await lab_service.client.post("/v1/lab/items", json={"name": "stove"}, headers=headers)
    assert first.status_code == stranger.status_code == 201
    assert "idempotent-replayed" not in stranger.headers
    assert stranger.json()["name"] == "stove"
    retry = await lab_service.client.post("/v1/lab/items", json={"name": "kettle"}, headers=headers)
    assert retry.headers["idempotent-replayed"] == "true"
