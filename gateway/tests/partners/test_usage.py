"""Partner calls are counted per application and route and published in batches (Art. 15.3)."""

from __future__ import annotations

from typing import Any

from hand_signer import HandSigner

from hues_shared.contracts.gateway import USAGE_TOPIC, PartnerUsageRecorded
from hues_shared.events.bus import InMemoryBus
from hues_shared.events.contracts import decode

URL = "http://gateway.test/v1/integration/partner/connection-check"


async def test_three_calls_make_one_batch_with_a_count_of_three(make_partner_gateway: Any) -> None:
    bus = InMemoryBus()
    usage = bus.subscribe(group="usage-test", topics=[USAGE_TOPIC])
    gateway = await make_partner_gateway(bus=bus, partner_usage_flush_seconds=0.2)
    partner = await gateway.onboard()
    signer = HandSigner(key_id=partner.key_id, algorithm="ed25519", private_key=partner.private_key)
    for _ in range(3):
        response = await gateway.client.get(
            URL, headers={"Authorization": f"Bearer {gateway.token(partner)}", **signer.sign("GET", URL)}
        )
        assert response.status_code == 200
    deliveries = await usage.fetch(max_records=10, timeout=5.0)
    [event] = [decode(d.envelope.type, d.envelope.data) for d in deliveries if d.envelope is not None]
    assert isinstance(event, PartnerUsageRecorded)
    assert [(c.application_id, c.route, c.requests) for c in event.counts] == [
        (partner.application_id, "integration.partner-api", 3)
    ]
