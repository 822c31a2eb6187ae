"""CAP 1.2 XML valid against the OASIS schema, Update/Cancel references, the Atom index, JSON (Art. 6.2)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest
import xmlschema

from notification_service.testing import PHU_XUAN, World

CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"
ATOM = "{http://www.w3.org/2005/Atom}"
AREA = [[16.45, 107.55], [16.45, 107.61], [16.49, 107.61], [16.49, 107.55], [16.45, 107.55]]


@pytest.fixture(scope="module")
def cap_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(Path(__file__).parent / "schemas" / "CAP-v1.2.xsd")


async def _cap(world: World, notice_id: str) -> bytes:
    response = await world.service.client.get(f"/v1/feeds/alerts/{notice_id}.xml")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/cap+xml")
    return response.content


async def test_a_warning_is_valid_cap_1_2(world: World, cap_schema: xmlschema.XMLSchema) -> None:
    alert = await world.published_alert(
        {
            "polygons": [AREA],
            "circles": [{"latitude": 16.5, "longitude": 107.6, "radius_km": 3}],
            "ward_codes": [PHU_XUAN],
        },
        onset_at=datetime.now(UTC).isoformat(),
        links=["https://hue.gov.vn/canh-bao"],
    )
    xml = await _cap(world, alert["id"])
    cap_schema.validate(xml.decode())
    root = ET.fromstring(xml)
    assert root.findtext(f"{CAP}identifier") == alert["cap_identifier"] == f"urn:uuid:{alert['id']}"
    assert [i.findtext(f"{CAP}language") for i in root.findall(f"{CAP}info")] == ["vi-VN", "en-US"]
    area = root.find(f"{CAP}info/{CAP}area")
    assert area is not None and area.findtext(f"{CAP}polygon", "").startswith("16.45,107.55 ")
    assert area.findtext(f"{CAP}geocode/{CAP}value") == PHU_XUAN


async def test_the_identifier_is_stable_across_exports(world: World) -> None:
    alert = await world.published_alert({"everyone": True})
    assert await _cap(world, alert["id"]) == await _cap(world, alert["id"])


async def test_update_and_cancel_reference_the_earlier_warning(
    world: World, cap_schema: xmlschema.XMLSchema
) -> None:
    first = await world.published_alert({"everyone": True})
    update = await world.published_alert(None, msg_type="Update", references_notice_id=first["id"])
    cancel = await world.published_alert(None, msg_type="Cancel", references_notice_id=update["id"])
    first_xml = ET.fromstring(await _cap(world, first["id"]))
    sent = first_xml.findtext(f"{CAP}sent")
    update_xml, cancel_xml = await _cap(world, update["id"]), await _cap(world, cancel["id"])
    for xml in (update_xml, cancel_xml):
        cap_schema.validate(xml.decode())
    updated = ET.fromstring(update_xml)
    assert updated.findtext(f"{CAP}msgType") == "Update"
    assert updated.findtext(f"{CAP}references") == f"canhbao@hue-s.vn,urn:uuid:{first['id']},{sent}"
    cancelled = ET.fromstring(cancel_xml)
    assert cancelled.findtext(f"{CAP}msgType") == "Cancel"
    assert f"urn:uuid:{update['id']}" in cancelled.findtext(f"{CAP}references", "")


async def test_a_draft_has_no_public_cap(world: World) -> None:
    draft = await world.draft_alert(world.operator(), {"everyone": True})
    assert (await world.service.client.get(f"/v1/feeds/alerts/{draft['id']}.xml")).status_code == 404


async def test_the_atom_feed_lists_current_warnings_only(world: World) -> None:
    current = await world.published_alert({"everyone": True})
    replaced = await world.published_alert({"everyone": True})
    update = await world.published_alert(None, msg_type="Update", references_notice_id=replaced["id"])
    expired = await world.published_alert({"everyone": True})
    async with world.service.runtime.db.unit_of_work() as session:
        from notification_service.notices.models import Notice

        row = await session.get(Notice, expired["id"])
        assert row is not None
        row.expires_at = datetime.now(UTC)
    await world.published_notice({"everyone": True})  # notices are not warnings
    response = await world.service.client.get("/v1/feeds/alerts.atom")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    ids = [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")]
    assert ids == [f"urn:uuid:{update['id']}", f"urn:uuid:{current['id']}"]
    link = feed.find(f"{ATOM}entry/{ATOM}link")
    assert link is not None and link.get("href", "").endswith(
        f"/v1/notification/feeds/alerts/{update['id']}.xml"
    )


async def test_the_json_feed_matches_the_atom_feed(world: World) -> None:
    alert = await world.published_alert({"ward_codes": [PHU_XUAN]})
    body = (await world.service.client.get("/v1/feeds/alerts.json")).json()
    assert [i["id"] for i in body["items"]] == [alert["id"]]
    assert (
        body["items"][0]["ward_codes"] == [PHU_XUAN] and body["items"][0]["headline"]["en"] == "Flood warning"
    )


async def test_feeds_need_no_token(world: World) -> None:
    for path in ("/v1/feeds/alerts.atom", "/v1/feeds/alerts.json"):
        assert (await world.service.client.get(path)).status_code == 200


async def test_the_vendored_schema_really_refuses_invalid_cap(
    world: World, cap_schema: xmlschema.XMLSchema
) -> None:
    alert = await world.published_alert({"everyone": True})
    xml = (await _cap(world, alert["id"])).decode()
    broken = xml.replace("<msgType>Alert</msgType>", "<msgType>Warning</msgType>")
    assert cap_schema.is_valid(xml) and not cap_schema.is_valid(broken)
