"""SSRF guard for partner URLs: loopback, private, link-local, metadata, redirects and DNS rebinding."""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from hues_shared.outbound import BlockedDestination, OutboundGuard, address_refusal, blocked_reason
from hues_shared.testing.receivers import serving


class FixedResolver:
    """Answers from a table; each host may answer differently on successive lookups (DNS rebinding)."""

    def __init__(self, answers: dict[str, list[list[str]]]) -> None:
        self.answers = answers
        self.lookups: dict[str, int] = {}

    async def resolve(self, host: str, port: int) -> list[str]:
        count = self.lookups.get(host, 0)
        self.lookups[host] = count + 1
        sequence = self.answers.get(host, [[host]])  # literal addresses answer themselves
        return sequence[min(count, len(sequence) - 1)]


def receiver() -> FastAPI:
    app = FastAPI()
    app.state.hits = 0

    @app.get("/ok")
    async def ok() -> dict[str, str]:
        app.state.hits += 1
        return {"status": "ok"}

    @app.get("/to")
    async def redirect(url: str) -> RedirectResponse:
        return RedirectResponse(url, status_code=302)

    return app


@pytest.fixture
async def local() -> AsyncIterator[tuple[FastAPI, str]]:
    app = receiver()
    async with serving(app) as url:
        yield app, url


async def _refusal(guard: OutboundGuard, url: str) -> BlockedDestination:
    async with guard.client() as client:
        with pytest.raises(httpx.HTTPError) as caught:
            await client.get(url)
    found = blocked_reason(caught.value)
    assert found is not None, caught.value
    return found


@pytest.mark.parametrize(
    ("address", "rule"),
    [
        ("127.0.0.1", "url.loopback-address"),
        ("::1", "url.loopback-address"),
        ("10.1.2.3", "url.private-address"),
        ("192.168.0.10", "url.private-address"),
        ("172.16.5.4", "url.private-address"),
        ("100.64.0.1", "url.private-address"),
        ("169.254.10.10", "url.link-local-address"),
        ("169.254.169.254", "url.metadata-address"),
        ("fd00:ec2::254", "url.metadata-address"),
        ("::ffff:127.0.0.1", "url.loopback-address"),
        ("0.0.0.0", "url.non-public-address"),
        ("224.0.0.1", "url.non-public-address"),
    ],
)
def test_non_public_addresses_are_refused(address: str, rule: str) -> None:
    refusal = address_refusal(ipaddress.ip_address(address), allow_loopback=False)
    assert refusal is not None and refusal[0] == rule


def test_a_public_address_passes() -> None:
    assert address_refusal(ipaddress.ip_address("203.113.131.1"), allow_loopback=False) is None


async def test_loopback_is_refused_by_default(local: tuple[FastAPI, str]) -> None:
    app, url = local
    refusal = await _refusal(OutboundGuard(), f"{url}/ok")
    assert refusal.rule == "url.loopback-address"
    assert app.state.hits == 0


async def test_a_name_resolving_to_loopback_is_refused(local: tuple[FastAPI, str]) -> None:
    app, url = local
    port = httpx.URL(url).port
    guard = OutboundGuard(resolver=FixedResolver({"partner.example.vn": [["127.0.0.1"]]}))
    refusal = await _refusal(guard, f"http://partner.example.vn:{port}/ok")
    assert refusal.rule == "url.loopback-address"
    assert app.state.hits == 0


async def test_a_name_with_one_private_answer_among_public_ones_is_refused() -> None:
    guard = OutboundGuard(resolver=FixedResolver({"mixed.example.vn": [["203.113.131.1", "10.0.0.7"]]}))
    with pytest.raises(BlockedDestination) as caught:
        await guard.check_destination("https://mixed.example.vn/health")
    assert caught.value.rule == "url.private-address"


async def test_dns_rebinding_between_check_and_call_is_refused(local: tuple[FastAPI, str]) -> None:
    """The first lookup (the conformance check) sees a public address, the next one (the call) loopback:
    the connection resolves and checks again, so the call never reaches the local receiver."""
    app, url = local
    port = httpx.URL(url).port
    resolver = FixedResolver({"rebind.example.vn": [["203.113.131.1"], ["127.0.0.1"]]})
    guard = OutboundGuard(resolver=resolver)
    await guard.check_destination(f"http://rebind.example.vn:{port}/ok")  # passes: public at check time
    refusal = await _refusal(guard, f"http://rebind.example.vn:{port}/ok")
    assert refusal.rule == "url.loopback-address"
    assert app.state.hits == 0


async def test_a_redirect_to_a_private_address_is_refused(local: tuple[FastAPI, str]) -> None:
    _, url = local
    guard = OutboundGuard(allow_loopback=True)  # the first hop (the local receiver) is allowed here
    refusal = await _refusal(guard, f"{url}/to?url=http://10.0.0.5/admin")
    assert refusal.rule == "url.private-address"


async def test_a_redirect_to_the_metadata_service_is_refused(local: tuple[FastAPI, str]) -> None:
    _, url = local
    refusal = await _refusal(
        OutboundGuard(allow_loopback=True), f"{url}/to?url=http://169.254.169.254/latest/meta-data/"
    )
    assert refusal.rule == "url.metadata-address"


async def test_a_redirect_to_a_name_resolving_to_a_private_address_is_refused(
    local: tuple[FastAPI, str],
) -> None:
    _, url = local
    guard = OutboundGuard(allow_loopback=True, resolver=FixedResolver({"evil.example.vn": [["10.9.8.7"]]}))
    refusal = await _refusal(guard, f"{url}/to?url=http://evil.example.vn/ok")
    assert refusal.rule == "url.private-address"


async def test_a_redirect_from_https_to_http_is_refused_when_https_is_required() -> None:
    guard = OutboundGuard(require_https=True)
    with pytest.raises(BlockedDestination) as caught:
        guard.check_url("http://partner.example.vn/health")
    assert caught.value.rule == "url.https-required"


def test_urls_with_credentials_or_other_schemes_are_refused() -> None:
    guard = OutboundGuard()
    with pytest.raises(BlockedDestination):
        guard.check_url("https://user:pw@partner.example.vn/")
    with pytest.raises(BlockedDestination):
        guard.check_url("file:///etc/passwd")


async def test_loopback_is_called_when_the_setting_allows_it(local: tuple[FastAPI, str]) -> None:
    app, url = local
    async with OutboundGuard(allow_loopback=True).client() as client:
        response = await client.get(f"{url}/ok")
    assert response.status_code == 200 and app.state.hits == 1
