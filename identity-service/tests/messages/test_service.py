"""Outbound texts leave only after the request committed, once per message (issue 7, item 17)."""

import sqlalchemy as sa

from identity_service.accounts.models import Account
from identity_service.messages import service as messages
from identity_service.messages.models import OutboundMessage
from identity_service.testing import IdentityDriver
from identity_service.verification.providers import ConsoleProvider, OutgoingMessage


class CommitWitness(ConsoleProvider):
    """The SMS gateway's side of the wire: at each send, is the change the text announces committed?"""

    def __init__(self, api: IdentityDriver) -> None:
        super().__init__()
        self.api = api
        self.committed: list[bool] = []

    async def send(self, message: OutgoingMessage) -> None:
        async with self.api.service.runtime.db.sessions() as session:  # another connection
            must_change = await session.scalar(
                sa.select(sa.func.count()).where(Account.password_must_change.is_(True))
            )
        self.committed.append(bool(must_change))
        await super().send(message)


async def test_a_temporary_password_is_sent_only_after_the_staff_account_is_committed(
    api: IdentityDriver,
) -> None:
    witness = CommitWitness(api)
    api.components.messages = witness
    unit_id = await api.create_unit("SO-NV")
    await api.create_staff(unit_id)
    await api.delivered()
    assert witness.committed == [True]


async def test_a_dic_password_reset_is_sent_only_after_the_reset_is_committed(api: IdentityDriver) -> None:
    citizen = await api.active_citizen()
    witness = CommitWitness(api)
    api.components.messages = witness
    response = await api.client.post(
        f"/v1/admin/accounts/{citizen['account_id']}/password-reset", headers=api.dic_admin_headers()
    )
    assert response.status_code == 204
    await api.delivered()
    assert witness.committed == [True]


async def test_a_redelivered_message_event_sends_nothing_twice(api: IdentityDriver) -> None:
    body = api.citizen_body()
    await api.client.post("/v1/accounts/citizens", json=body)
    await api.delivered()
    async with api.service.runtime.db.sessions() as session:
        [message_id] = (await session.scalars(sa.select(OutboundMessage.id))).all()
    for _ in range(2):
        async with api.service.runtime.db.unit_of_work() as session:
            await messages.deliver(session, api.components, message_id=message_id)
    assert [m.destination for m in api.console.messages] == [body["phone"]]


async def test_a_sent_message_keeps_neither_text_nor_destination(api: IdentityDriver) -> None:
    await api.client.post("/v1/accounts/citizens", json=api.citizen_body())
    await api.delivered()
    async with api.service.runtime.db.sessions() as session:
        [message] = (await session.scalars(sa.select(OutboundMessage))).all()
    assert message.sent_at is not None and message.text_enc is None and message.destination_enc is None
