"""The production SMS-gateway provider speaks HTTP to a real (local) gateway app, and fails loudly."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from hues_shared.context import request_id_var, traceparent_var
from hues_shared.problems import ServiceUnavailable
from identity_service.verification.providers import HttpSmsGatewayProvider, OutgoingMessage


def sms_gateway(received: list[dict[str, Any]], *, status: int = 202) -> FastAPI:
    """A stand-in SMS gateway: records what it was asked to send, answers `status`."""
    app = FastAPI()

    @app.post("/send")
    async def send(request: Request) -> JSONResponse:
        received.append({"json": await request.json(), "headers": dict(request.headers)})
        return JSONResponse({"accepted": status < 300}, status_code=status)

    return app


def provider_for(app: FastAPI, *, token: str = "sms-secret") -> HttpSmsGatewayProvider:
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sms.test")
    return HttpSmsGatewayProvider(url="http://sms.test/send", token=token, client=client)


async def test_sends_the_code_with_the_token_and_the_trace_of_the_request() -> None:
    received: list[dict[str, Any]] = []
    provider = provider_for(sms_gateway(received))
    request_token = request_id_var.set("req-123")
    trace_token = traceparent_var.set("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
    try:
        await provider.send(OutgoingMessage(channel="sms", destination="0905123456", text="Ma Hue-S: 123456"))
    finally:
        request_id_var.reset(request_token)
        traceparent_var.reset(trace_token)
    assert received[0]["json"] == {"channel": "sms", "to": "0905123456", "text": "Ma Hue-S: 123456"}
    headers = received[0]["headers"]
    assert headers["authorization"] == "Bearer sms-secret"
    assert headers["x-request-id"] == "req-123"
    assert headers["traceparent"].startswith("00-0af7651916cd43dd8448eb211c80319c-")


async def test_a_refusing_gateway_is_a_503_problem_not_a_silent_loss() -> None:
    provider = provider_for(sms_gateway([], status=500))
    with pytest.raises(ServiceUnavailable):
        await provider.send(OutgoingMessage(channel="sms", destination="0905123456", text="Ma Hue-S: 1"))


async def test_no_token_means_no_authorization_header() -> None:
    received: list[dict[str, Any]] = []
    await provider_for(sms_gateway(received), token="").send(
        OutgoingMessage(channel="sms", destination="0905123456", text="x")
    )
    assert "authorization" not in received[0]["headers"]
