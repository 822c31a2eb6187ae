"""An FCM HTTP v1 compatible provider: one `messages:send` request per device, many in flight at once.

The endpoint and credentials are configuration: the real FCM (https://fcm.googleapis.com with an
OAuth2 bearer from a service account) or the local sink (embedded mode, tests, benchmarks).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import httpx

Outcome = Literal["accepted", "invalid_token", "retry", "failed"]
# Only FCM's own verdict on the token removes a device: a bare 404 from a misrouted proxy or a 400 for a
# malformed payload must never wipe the registrations.
INVALID_TOKEN_CODES = {"UNREGISTERED", "SENDER_ID_MISMATCH"}


@dataclass(frozen=True)
class PushMessage:
    device_id: str
    token: str
    title: str
    body: str
    data: dict[str, str]
    high_priority: bool
    ttl_seconds: int  # Android: relative TTL
    expires_epoch: int = 0  # APNs: absolute expiry (UNIX seconds); 0 = now + ttl_seconds


@dataclass(frozen=True)
class PushResult:
    device_id: str
    outcome: Outcome
    message_id: str | None = None
    retry_after: float | None = None


def fcm_body(message: PushMessage) -> dict[str, Any]:
    """The FCM v1 `message`: priority by severity (Android priority, APNs priority), TTL = the expiry."""
    return {
        "message": {
            "token": message.token,
            "notification": {"title": message.title, "body": message.body},
            "data": message.data,
            "android": {
                "priority": "HIGH" if message.high_priority else "NORMAL",
                "ttl": f"{message.ttl_seconds}s",
            },
            "apns": {
                "headers": {
                    "apns-priority": "10" if message.high_priority else "5",
                    "apns-expiration": str(message.expires_epoch or int(time.time()) + message.ttl_seconds),
                }
            },
        }
    }


def _error_code(response: httpx.Response) -> str | None:
    try:
        error = response.json().get("error", {})
    except ValueError:
        return None
    for detail in error.get("details", []) or []:
        if isinstance(detail, dict) and detail.get("errorCode"):
            return str(detail["errorCode"])
    return str(error.get("status")) if error.get("status") else None


def classify(response: httpx.Response, device_id: str) -> PushResult:
    if response.status_code == 200:
        return PushResult(device_id, "accepted", message_id=str(response.json().get("name", "")))
    if response.status_code in (429, 500, 502, 503, 504):
        retry_after = response.headers.get("retry-after")
        return PushResult(
            device_id,
            "retry",
            retry_after=float(retry_after) if retry_after and retry_after.isdigit() else None,
        )
    code = _error_code(response)
    if code in INVALID_TOKEN_CODES:
        return PushResult(device_id, "invalid_token")
    return PushResult(device_id, "failed")


class FcmProvider:
    def __init__(
        self,
        *,
        endpoint: str,
        project_id: str,
        access_token: str | None,
        concurrency: int,
        timeout: float,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        headers = {"Authorization": f"Bearer {access_token}"} if access_token else {}
        self._client = httpx.AsyncClient(
            base_url=endpoint.rstrip("/"),
            headers=headers,
            timeout=timeout,
            transport=transport,
            limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
        )
        self._path = f"/v1/projects/{project_id}/messages:send"
        self._slots = asyncio.Semaphore(concurrency)

    async def _send_one(self, message: PushMessage) -> PushResult:
        async with self._slots:
            try:
                response = await self._client.post(self._path, json=fcm_body(message))
            except httpx.HTTPError:
                return PushResult(message.device_id, "retry")
            return classify(response, message.device_id)

    async def send(self, messages: Sequence[PushMessage]) -> list[PushResult]:
        """Send a batch concurrently (bounded); one result per message, in order."""
        return list(await asyncio.gather(*(self._send_one(m) for m in messages)))

    async def close(self) -> None:
        await self._client.aclose()
