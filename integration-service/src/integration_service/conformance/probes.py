"""The automated rules a submitted application must pass (connection standard v1.1, section 9).

Each rule yields results named like the standard's rules (manifest.schema, url.*, health.answers,
openapi.valid, openapi.standard, webhook.challenge). Every call goes through the SSRF guard.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

import httpx
import yaml
from openapi_spec_validator import validate as validate_openapi
from pydantic import ValidationError

from hues_shared.outbound import BlockedDestination, OutboundGuard, blocked_reason
from hues_shared.types import utcnow
from integration_service.applications.manifest import Manifest
from integration_service.applications.schemas import ConformanceResult
from integration_service.webhooks.signing import signed_headers

CHALLENGE_TYPE = "hues.integration.webhook.challenge"


def _failed(rule: str, target: str | None, exc: BaseException) -> ConformanceResult:
    blocked = blocked_reason(exc)
    if blocked is not None:
        return ConformanceResult(rule=blocked.rule, target=target, passed=False, detail=blocked.detail)
    return ConformanceResult(
        rule=rule, target=target, passed=False, detail=f"{type(exc).__name__}: {exc}"[:500]
    )


async def check_manifest(
    document: dict[str, Any],
    *,
    application_id: str,
    guard: OutboundGuard,
    client: httpx.AsyncClient,
    webhook_secret: str | None,
) -> list[ConformanceResult]:
    try:
        manifest = Manifest.model_validate(document)
    except ValidationError as exc:
        return [ConformanceResult(rule="manifest.schema", passed=False, detail=str(exc)[:1000])]
    results = [
        ConformanceResult(rule="manifest.schema", passed=True, detail="The manifest matches the schema.")
    ]
    reachable: set[str] = set()
    for field, url in manifest.urls().items():
        try:
            await guard.check_destination(url)
        except BlockedDestination as exc:
            results.append(ConformanceResult(rule=exc.rule, target=field, passed=False, detail=exc.detail))
            continue
        reachable.add(field)
        results.append(
            ConformanceResult(rule="url.public", target=field, passed=True, detail=f"{url} is public")
        )
    if "health_url" in reachable:
        results.append(await _health(client, str(manifest.health_url)))
    if manifest.openapi_url is not None and "openapi_url" in reachable:
        results.extend(await _openapi(client, str(manifest.openapi_url)))
    if manifest.webhook_url is not None and "webhook_url" in reachable:
        results.append(await _challenge(client, str(manifest.webhook_url), application_id, webhook_secret))
    return results


async def _health(client: httpx.AsyncClient, url: str) -> ConformanceResult:
    try:
        response = await client.get(url)
    except httpx.HTTPError as exc:
        return _failed("health.answers", "health_url", exc)
    passed = 200 <= response.status_code < 300
    return ConformanceResult(
        rule="health.answers", target="health_url", passed=passed, detail=f"answered {response.status_code}"
    )


async def _openapi(client: httpx.AsyncClient, url: str) -> list[ConformanceResult]:
    try:
        response = await client.get(url)
        response.raise_for_status()
        text = response.text
        document = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
        validate_openapi(document)
    except Exception as exc:
        return [_failed("openapi.valid", "openapi_url", exc)]
    results = [
        ConformanceResult(rule="openapi.valid", target="openapi_url", passed=True, detail="valid OpenAPI")
    ]
    problems = standard_openapi_problems(document)
    results.append(
        ConformanceResult(
            rule="openapi.standard",
            target="openapi_url",
            passed=not problems,
            detail="; ".join(problems) or "follows the connection standard's API rules",
        )
    )
    return results


def standard_openapi_problems(document: dict[str, Any]) -> list[str]:
    """The standard's rules for a partner-hosted OpenAPI document (section 10): 3.x, versioned paths,
    https servers, a declared security scheme, and RFC 9457 problem responses on every operation."""
    problems = []
    if not str(document.get("openapi", "")).startswith("3."):
        problems.append("OpenAPI 3.x is required")
    for server in document.get("servers", []):
        if not str(server.get("url", "")).startswith("https://"):
            problems.append(f"server {server.get('url')} is not https")
    if not document.get("components", {}).get("securitySchemes"):
        problems.append("no security scheme declared")
    for path, operations in document.get("paths", {}).items():
        if not path.startswith("/v"):
            problems.append(f"path {path} is not versioned (/v1/...)")
        for method, operation in operations.items():
            if not isinstance(operation, dict) or method.startswith("x-") or method == "parameters":
                continue
            responses = operation.get("responses", {})
            errors = [
                r for code, r in responses.items() if str(code).startswith(("4", "5")) or code == "default"
            ]
            if not any("application/problem+json" in (r.get("content") or {}) for r in errors):
                problems.append(f"{method.upper()} {path} documents no application/problem+json error")
    return problems


async def _challenge(
    client: httpx.AsyncClient, url: str, application_id: str, secret: str | None
) -> ConformanceResult:
    """POST a Standard-Webhooks-signed challenge; the receiver must answer 2xx echoing `challenge`."""
    if secret is None:
        return ConformanceResult(
            rule="webhook.challenge",
            target="webhook_url",
            passed=False,
            detail="No webhook secret yet: create one (POST .../webhook-secret) before submitting.",
        )
    challenge = secrets.token_urlsafe(24)
    now = utcnow()
    body = json.dumps(
        {
            "type": CHALLENGE_TYPE,
            "timestamp": now.isoformat(),
            "data": {"application_id": application_id, "challenge": challenge},
        }
    )
    headers = signed_headers(secret, message_id=f"msg_challenge_{challenge[:12]}", at=now, body=body)
    try:
        response = await client.post(url, content=body, headers=headers)
        echoed = response.json().get("challenge") if response.status_code < 300 else None
    except (httpx.HTTPError, ValueError, AttributeError) as exc:
        return _failed("webhook.challenge", "webhook_url", exc)
    passed = echoed == challenge
    return ConformanceResult(
        rule="webhook.challenge",
        target="webhook_url",
        passed=passed,
        detail="answered the signed challenge"
        if passed
        else f"answered {response.status_code} without the challenge",
    )
