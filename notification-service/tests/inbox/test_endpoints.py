import asyncio
import uuid
from datetime import UTC, datetime

from hues_shared.contracts.identity import AccountClosed, AccountRegistered, PasswordExpiring
from hues_shared.events.outbox import envelope_for
from hues_shared.testing.apps import RunningService
from hues_shared.testing.tokens import SigningKeys, bearer


async def _deliver_registration(service: RunningService, account_id: str) -> str:
    event = AccountRegistered(
        account_id=account_id, kind="citizen", display_name="Nguyễn Văn A", registered_at=datetime.now(UTC)
    )
    envelope = envelope_for(event, source="/hues/identity-service")
    await service.runtime.bus.publish([envelope])
    return envelope.id


async def _wait_for_inbox(service: RunningService, token: str, count: int) -> list[dict]:
    for _ in range(100):
        response = await service.client.get("/v1/inbox", headers=bearer(token))
        items = response.json()["items"]
        if len(items) >= count:
            return items
        await asyncio.sleep(0.05)
    raise AssertionError("inbox never filled")


async def test_registration_event_puts_a_welcome_message_in_the_new_accounts_inbox(
    notification: RunningService, test_keys: SigningKeys
) -> None:
    account_id = str(uuid.uuid4())
    await _deliver_registration(notification, account_id)
    items = await _wait_for_inbox(notification, test_keys.token(sub=account_id), 1)
    assert items[0]["kind"] == "message" and items[0]["type"] == "welcome"
    assert "Nguyễn Văn A" in items[0]["body"]


async def test_redelivered_event_is_handled_once(
    notification: RunningService, test_keys: SigningKeys
) -> None:
    account_id = str(uuid.uuid4())
    event = AccountRegistered(
        account_id=account_id, kind="citizen", display_name="B", registered_at=datetime.now(UTC)
    )
    envelope = envelope_for(event, source="/hues/identity-service")
    await notification.runtime.bus.publish([envelope, envelope])
    await notification.runtime.bus.publish([envelope])
    # A marker published after the duplicates: once its message is in, the duplicates were handled.
    marker_account = str(uuid.uuid4())
    await _deliver_registration(notification, marker_account)
    await _wait_for_inbox(notification, test_keys.token(sub=marker_account), 1)
    response = await notification.client.get("/v1/inbox", headers=bearer(test_keys.token(sub=account_id)))
    assert len(response.json()["items"]) == 1


async def test_inbox_shows_only_the_callers_messages(
    notification: RunningService, test_keys: SigningKeys
) -> None:
    owner = str(uuid.uuid4())
    await _deliver_registration(notification, owner)
    await _wait_for_inbox(notification, test_keys.token(sub=owner), 1)
    stranger = test_keys.token(sub=str(uuid.uuid4()))
    response = await notification.client.get("/v1/inbox", headers=bearer(stranger))
    assert response.status_code == 200
    assert response.json()["items"] == []


async def test_inbox_without_token_is_a_401_problem(notification: RunningService) -> None:
    response = await notification.client.get("/v1/inbox")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 401


async def test_inbox_pages_with_a_cursor(notification: RunningService, test_keys: SigningKeys) -> None:
    account_id = str(uuid.uuid4())
    # three distinct events for the same account (idempotency is per event id, not per account)
    for _ in range(3):
        await _deliver_registration(notification, account_id)
    token = test_keys.token(sub=account_id)
    await _wait_for_inbox(notification, token, 3)
    first = (await notification.client.get("/v1/inbox?limit=2", headers=bearer(token))).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = (
        await notification.client.get(
            f"/v1/inbox?limit=2&cursor={first['next_cursor']}", headers=bearer(token)
        )
    ).json()
    assert len(second["items"]) == 1 and second["next_cursor"] is None
    ids = {i["id"] for i in first["items"]} | {i["id"] for i in second["items"]}
    assert len(ids) == 3


async def test_password_expiry_reminder_lands_in_the_inbox(
    notification: RunningService, test_keys: SigningKeys
) -> None:
    account_id = str(uuid.uuid4())
    event = PasswordExpiring(
        account_id=account_id, expires_at=datetime(2026, 12, 6, 20, 0, tzinfo=UTC), days_left=7
    )
    await notification.runtime.bus.publish([envelope_for(event, source="/hues/identity-service")])
    items = await _wait_for_inbox(notification, test_keys.token(sub=account_id), 1)
    assert items[0]["type"] == "password-expiring"
    assert "7 ngày" in items[0]["body"] and "07/12/2026" in items[0]["body"]  # 20:00 UTC is the 7th in Hue


async def test_closing_an_account_erases_its_inbox_and_no_one_elses(
    notification: RunningService, test_keys: SigningKeys
) -> None:
    closing, staying = str(uuid.uuid4()), str(uuid.uuid4())
    await _deliver_registration(notification, closing)
    await _deliver_registration(notification, staying)
    await _wait_for_inbox(notification, test_keys.token(sub=closing), 1)
    await _wait_for_inbox(notification, test_keys.token(sub=staying), 1)
    closed = AccountClosed(account_id=closing, closed_at=datetime.now(UTC))
    await notification.runtime.bus.publish([envelope_for(closed, source="/hues/identity-service")])
    # The closed account's tokens are refused from now on (issue 7, item 10); a token minted after the
    # close (as the refused ones cannot be) shows the inbox itself was erased.
    after_close = test_keys.token(sub=closing, iat=int(datetime.now(UTC).timestamp()) + 2)
    for _ in range(100):
        response = await notification.client.get("/v1/inbox", headers=bearer(after_close))
        if response.status_code == 200 and not response.json()["items"]:
            break
        await asyncio.sleep(0.05)
    assert response.json()["items"] == []
    issued_before = test_keys.token(sub=closing, iat=int(closed.closed_at.timestamp()) - 5)
    before_close = await notification.client.get("/v1/inbox", headers=bearer(issued_before))
    assert before_close.status_code == 401
    assert len(await _wait_for_inbox(notification, test_keys.token(sub=staying), 1)) == 1
