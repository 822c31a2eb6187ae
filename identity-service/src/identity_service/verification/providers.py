"""Where one-time codes go: the console (embedded mode, with a readable outbox) or an HTTP SMS gateway."""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

import httpx

from hues_shared.context import outgoing_headers
from hues_shared.problems import ServiceUnavailable
from hues_shared.types import utcnow

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutgoingMessage:
    channel: str  # sms | email
    destination: str
    text: str
    sent_at: datetime = field(default_factory=utcnow)


class MessageProvider(Protocol):
    """Sends a short text (a code, a temporary password) to a phone or e-mail address."""

    async def send(self, message: OutgoingMessage) -> None: ...


class ConsoleProvider:
    """Embedded/dev mode: prints the message and keeps the last ones for `GET /v1/dev/otp-outbox`."""

    def __init__(self, *, keep: int = 50) -> None:
        self.messages: deque[OutgoingMessage] = deque(maxlen=keep)

    async def send(self, message: OutgoingMessage) -> None:
        self.messages.append(message)
        logger.info("message to %s via %s: %s", message.destination, message.channel, message.text)

    def last_to(self, destination: str) -> OutgoingMessage | None:
        return next((m for m in reversed(self.messages) if m.destination == destination), None)


class HttpSmsGatewayProvider:
    """Production: POST {channel, to, text} as JSON to the SMS gateway with a bearer token."""

    def __init__(self, *, url: str, token: str, client: httpx.AsyncClient | None = None) -> None:
        self.url = url
        self.token = token
        self._client = client

    def _headers(self) -> dict[str, str]:
        """Bearer token plus the request id and trace, so the SMS gateway's logs join ours."""
        headers = outgoing_headers()
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    async def send(self, message: OutgoingMessage) -> None:
        client = self._client or httpx.AsyncClient(timeout=5.0)
        try:
            response = await client.post(
                self.url,
                json={"channel": message.channel, "to": message.destination, "text": message.text},
                headers=self._headers(),
            )
            response.raise_for_status()
        except httpx.HTTPError as exc:
            logger.warning("SMS gateway refused a message", extra={"error": repr(exc)})
            raise ServiceUnavailable("The code could not be sent right now; try again shortly.") from exc
        finally:
            if self._client is None:
                await client.aclose()
