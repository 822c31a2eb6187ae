"""Which version of the connection standard a partner should follow, with its machine-checkable schemas."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.contracts.integration import WEBHOOK_EVENT_SCOPES
from hues_shared.events.contracts import contract_for
from hues_shared.problems import NotFound
from integration_service.applications.manifest import Manifest
from integration_service.standard import repository
from integration_service.standard.schemas import ConnectionStandardOut


def webhook_payload_schema(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """Standard Webhooks payload: {type, timestamp, data}; `data` is the event's own schema."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": event_type,
        "type": "object",
        "required": ["type", "timestamp", "data"],
        "properties": {
            "type": {"const": event_type},
            "timestamp": {"type": "string", "format": "date-time"},
            "data": data,
        },
    }


def current_schemas() -> dict[str, Any]:
    payloads = {}
    for event_type in sorted(WEBHOOK_EVENT_SCOPES):
        contract = contract_for(event_type)
        assert contract is not None
        payloads[event_type] = webhook_payload_schema(event_type, contract.model_json_schema())
    challenge = {
        "type": "object",
        "required": ["application_id", "challenge"],
        "properties": {"application_id": {"type": "string"}, "challenge": {"type": "string"}},
    }
    payloads["hues.integration.webhook.challenge"] = webhook_payload_schema(
        "hues.integration.webhook.challenge", challenge
    )
    manifest = {"$schema": "https://json-schema.org/draft/2020-12/schema", **Manifest.model_json_schema()}
    return {"manifest": manifest, "webhook_payloads": payloads}


async def get_standard(session: AsyncSession, *, version: str | None = None) -> ConnectionStandardOut:
    """The named version, or the one in force (the latest published); the latest carries the schemas."""
    latest = await repository.get_latest(session)
    row = await repository.get(session, version=version) if version else latest
    if row is None:
        raise NotFound(
            f"No connection standard version {version}." if version else "No standard published yet."
        )
    out = ConnectionStandardOut.model_validate(row)
    if latest is not None and row.version == latest.version:
        out.schemas = current_schemas()
    return out
