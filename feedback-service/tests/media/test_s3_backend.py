"""Distributed mode: report photos in S3-compatible storage (moto in server mode), read by presigned URL."""

import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from moto.server import ThreadedMotoServer

from feedback_service.config import FeedbackSettings
from feedback_service.main import create_app
from feedback_service.testing import FeedbackDriver, photo_with_gps
from hues_shared.testing.apps import running_service
from hues_shared.testing.tokens import SigningKeys


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
async def s3_api(tmp_path: Path, test_keys: SigningKeys, s3_endpoint: str) -> AsyncIterator[FeedbackDriver]:
    settings = FeedbackSettings(
        environment="test",
        database_url=f"sqlite+aiosqlite:///{tmp_path}/feedback.db",
        maintenance_interval_seconds=3600,
        log_json=False,
        media_backend="s3",
        media_s3_endpoint_url=s3_endpoint,
        media_s3_bucket="feedback-test",
        media_s3_access_key_id="test",
        media_s3_secret_access_key="test",  # type: ignore[arg-type]
    )
    async with running_service(create_app, settings, keys=test_keys) as service:
        yield FeedbackDriver(service, test_keys)


async def test_photo_goes_to_the_bucket_cleaned_and_is_read_by_presigned_url(s3_api: FeedbackDriver) -> None:
    reporter = s3_api.citizen()
    report = await s3_api.submit(reporter)
    response = await s3_api.client.post(
        f"/v1/reports/{report['id']}/media",
        files={"file": ("p.jpg", photo_with_gps(), "image/jpeg")},
        headers=reporter,
    )
    assert response.status_code == 201, response.text
    url = response.json()["url"]
    assert url.startswith("http://127.0.0.1") and "X-Amz-Signature" in url
    async with httpx.AsyncClient() as client:
        stored = await client.get(url)
    assert stored.status_code == 200 and b"EOS-SECRET-MODEL" not in stored.content
