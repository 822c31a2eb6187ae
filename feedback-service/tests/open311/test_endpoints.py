"""Open311 GeoReport v2: services, definitions, requests in JSON and XML, posting with api_key, errors
in the spec's format; read by an independent GeoReport client library over real HTTP."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import uvicorn
from georeport import GeoReport

from feedback_service.config import FeedbackSettings
from feedback_service.main import create_app
from feedback_service.testing import CITADEL, PHU_XUAN, FeedbackDriver
from hues_shared.testing.apps import running_service
from hues_shared.testing.infrastructure import free_port
from hues_shared.testing.tokens import SigningKeys

API_KEY = "partner-secret-key"
BASE = "/v1/open311/v2"


@pytest.fixture
async def o311(tmp_path: Path, test_keys: SigningKeys) -> AsyncIterator[FeedbackDriver]:
    settings = FeedbackSettings(
        environment="test",
        database_url=f"sqlite+aiosqlite:///{tmp_path}/feedback.db",
        maintenance_interval_seconds=3600,
        log_json=False,
        open311_api_keys={"fixmyhue": API_KEY},
    )
    async with running_service(create_app, settings, keys=test_keys) as service:
        yield FeedbackDriver(service, test_keys)


async def _published(api: FeedbackDriver) -> str:
    unit_id = await api.add_unit(name="Công ty Môi trường")
    report, _ = await api.assigned_report(
        unit_id, category_code="environment", description="Rác tràn ra đường"
    )
    officer = api.officer(unit_id)
    for step, body, who in (
        ("acknowledge", {}, officer),
        ("start", {}, officer),
        ("resolve", {"result": "Đã thu gom"}, officer),
        ("publish", {}, api.ioc()),
    ):
        assert (await api.act(report["id"], step, who, body)).status_code == 200
    return str(report["id"])


def _post_form(**overrides: str) -> dict[str, str]:
    form = {
        "api_key": API_KEY,
        "service_code": "lighting",
        "lat": str(CITADEL[0]),
        "long": str(CITADEL[1]),
        "address_string": "Cửa Thượng Tứ",
        "description": "Đèn đường không sáng",
        "attribute[ward_code]": PHU_XUAN,
        "email": "someone@example.com",
    }
    form.update(overrides)
    return form


async def test_independent_georeport_client_reads_services_and_requests_in_json_and_xml(
    o311: FeedbackDriver,
) -> None:
    rid = await _published(o311)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(o311.service.app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # a failed start raises here
        await asyncio.sleep(0.01)
    try:
        for fmt in ("json", "xml"):
            client = GeoReport(f"http://127.0.0.1:{port}{BASE}", output_format=fmt)
            services = await asyncio.to_thread(client.get_service_list)
            assert "environment" in {s["service_code"] for s in services}
            definition = await asyncio.to_thread(client.get_service_definition, "environment")
            assert definition["service_code"] == "environment"
            requests = await asyncio.to_thread(client.get_service_requests, service_code="environment")
            request = requests if isinstance(requests, dict) else requests[0]  # xmltodict: one item = a dict
            assert request["service_request_id"] == rid and request["status"] == "open"
            one = await asyncio.to_thread(client.get_service_request, rid)
            assert one["description"] == "Rác tràn ra đường"
            assert one["agency_responsible"] == "Công ty Môi trường"
            assert one["requested_datetime"].endswith("+07:00")
    finally:
        server.should_exit = True
        await task


async def test_partner_posts_a_request_with_its_api_key(o311: FeedbackDriver) -> None:
    response = await o311.client.post(f"{BASE}/requests.json", data=_post_form())
    assert response.status_code == 201, response.text
    [created] = response.json()
    request_id = created["service_request_id"]
    tracked = (await o311.client.get(f"{BASE}/requests/{request_id}.json")).json()
    assert tracked[0]["status"] == "open" and tracked[0]["status_notes"] == "submitted"
    assert tracked[0]["description"] is None  # shown once the IOC published it
    queue = await o311.client.get("/v1/reports", params={"status": "submitted"}, headers=o311.ioc())
    assert request_id in [r["id"] for r in queue.json()["items"]]
    token = (await o311.client.get(f"{BASE}/tokens/{request_id}.json")).json()
    assert token == [{"service_request_id": request_id, "token": request_id}]


async def test_posted_contact_data_is_not_kept(o311: FeedbackDriver) -> None:
    response = await o311.client.post(f"{BASE}/requests.json", data=_post_form())
    request_id = response.json()[0]["service_request_id"]
    report = await o311.client.get(f"/v1/reports/{request_id}", headers=o311.ioc())
    assert "someone@example.com" not in report.text


async def test_posting_without_a_valid_api_key_is_a_403_in_the_spec_format(o311: FeedbackDriver) -> None:
    json_error = await o311.client.post(f"{BASE}/requests.json", data=_post_form(api_key="guess"))
    assert json_error.status_code == 403
    assert json_error.json() == [{"code": 403, "description": "api_key is not valid."}]
    xml_error = await o311.client.post(f"{BASE}/requests.xml", data=_post_form(api_key=""))
    assert xml_error.status_code == 403 and xml_error.headers["content-type"].startswith("text/xml")
    assert "<errors><error><code>403</code><description>api_key is required" in xml_error.text


async def test_a_request_outside_hue_or_without_ward_is_a_400(o311: FeedbackDriver) -> None:
    outside = await o311.client.post(f"{BASE}/requests.json", data=_post_form(lat="21.0", long="105.8"))
    assert outside.status_code == 400 and outside.json()[0]["code"] == 400
    no_ward = await o311.client.post(f"{BASE}/requests.json", data=_post_form(**{"attribute[ward_code]": ""}))
    assert no_ward.status_code == 400


async def test_unknown_request_is_a_404_in_the_spec_format(o311: FeedbackDriver) -> None:
    response = await o311.client.get(f"{BASE}/requests/{uuid.uuid4()}.xml")
    assert response.status_code == 404 and "<errors><error><code>404</code>" in response.text


async def test_private_reports_are_not_service_requests(o311: FeedbackDriver) -> None:
    report = await o311.submit(is_public=False)
    response = await o311.client.get(f"{BASE}/requests/{report['id']}.json")
    assert response.status_code == 404


async def test_closed_reports_are_closed_and_filterable(o311: FeedbackDriver) -> None:
    rid = await _published(o311)
    await o311.act(rid, "close", o311.ioc())
    closed = (await o311.client.get(f"{BASE}/requests.json", params={"status": "closed"})).json()
    assert [r["service_request_id"] for r in closed] == [rid]
    assert (await o311.client.get(f"{BASE}/requests.json", params={"status": "open"})).json() == []


async def test_discovery_lists_both_formats(o311: FeedbackDriver) -> None:
    response = await o311.client.get(f"{BASE}/discovery.json")
    [endpoint] = response.json()["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}


async def test_an_unknown_format_is_a_404(o311: FeedbackDriver) -> None:
    response = await o311.client.get(f"{BASE}/services.yaml")
    assert response.status_code == 404 and response.json()[0]["code"] == 404


async def test_a_date_range_over_90_days_is_a_400(o311: FeedbackDriver) -> None:
    response = await o311.client.get(
        f"{BASE}/requests.json",
        params={"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
    )
    assert response.status_code == 400
