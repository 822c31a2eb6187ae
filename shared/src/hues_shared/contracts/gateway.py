"""Events published by the gateway itself (no database: published straight to the bus, in batches)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from hues_shared.events.contracts import EventContract, contract

PRODUCER = "gateway"
USAGE_TOPIC = "gateway.usage"


class RouteUsage(BaseModel):
    model_config = ConfigDict(frozen=True)

    application_id: str
    route: str  # the route table's name, e.g. integration.partner-api
    requests: int


@contract(
    type="hues.gateway.partner_usage.recorded", topic=USAGE_TOPIC, key="gateway_instance", producer=PRODUCER
)
class PartnerUsageRecorded(EventContract):
    """A gateway replica's count of admitted partner calls per application and route over one window
    (Art. 15.3: the DIC monitors use); integration-service sums them into daily usage."""

    batch_id: str
    gateway_instance: str
    window_start: datetime
    window_end: datetime
    counts: list[RouteUsage]
