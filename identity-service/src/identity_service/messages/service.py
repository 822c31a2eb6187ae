"""Outbound texts (conventions: outbound I/O never inside a request's unit of work).

A service queues a message in its unit of work (`queue_message`: an encrypted row plus a
`MessageQueued` event); identity's own handler sends it through the provider once the request has
committed (`deliver`), at most once per message. If the commit fails, nothing was sent: no temporary
password goes out for a change that never happened (issue 7, item 17).
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.contracts.identity import MessageQueued
from hues_shared.events.outbox import record_event
from hues_shared.types import utcnow
from identity_service.components import IdentityComponents
from identity_service.db import tables
from identity_service.messages import repository
from identity_service.messages.models import OutboundMessage
from identity_service.verification.providers import OutgoingMessage


async def queue_message(
    session: AsyncSession,
    components: IdentityComponents,
    *,
    channel: str,
    destination: str,
    text: str,
    purpose: str,
    account_id: str | None,
) -> None:
    """Queue a text; it is sent only if the caller's unit of work commits."""
    message_id, now = str(uuid.uuid4()), utcnow()
    cipher = components.cipher
    await repository.create(
        session,
        message=OutboundMessage(
            id=message_id,
            account_id=account_id,
            channel=channel,
            purpose=purpose,
            destination_enc=cipher.encrypt(destination, field="message_destination", owner_id=message_id),
            text_enc=cipher.encrypt(text, field="message_text", owner_id=message_id),
            created_at=now,
        ),
    )
    await record_event(
        session,
        tables,
        MessageQueued(
            message_id=message_id, account_id=account_id, channel=channel, purpose=purpose, queued_at=now
        ),
    )


async def deliver(session: AsyncSession, components: IdentityComponents, *, message_id: str) -> None:
    """Send one queued message; a message already sent (a redelivered event) is not sent again.

    A provider failure raises, so the consumer retries the event with backoff (then dead-letters it).
    Once sent, the destination and text are erased: a code or temporary password is not kept.
    """
    message = await repository.get_for_update(session, message_id=message_id)
    if message is None or message.sent_at is not None:
        return
    cipher = components.cipher
    destination = cipher.decrypt(message.destination_enc, field="message_destination", owner_id=message.id)
    text = cipher.decrypt(message.text_enc, field="message_text", owner_id=message.id)
    if destination and text:
        await components.messages.send(
            OutgoingMessage(channel=message.channel, destination=destination, text=text)
        )
    message.sent_at = utcnow()
    message.destination_enc = None
    message.text_enc = None
