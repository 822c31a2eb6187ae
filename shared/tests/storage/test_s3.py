"""S3 storage against a real S3-protocol server (moto in server mode, on loopback)."""

import socket
from collections.abc import Iterator

import httpx
import pytest
from moto.server import ThreadedMotoServer

from hues_shared.storage import S3Storage


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
async def storage(s3_endpoint: str) -> S3Storage:
    storage = S3Storage(
        bucket="hues-media-test", endpoint_url=s3_endpoint, access_key_id="test", secret_access_key="test"
    )
    await storage.ensure_bucket()
    return storage


async def test_put_get_delete_round_trip(storage: S3Storage) -> None:
    await storage.put("reports/r1/p.jpg", b"\xff\xd8jpeg", content_type="image/jpeg")
    assert await storage.get("reports/r1/p.jpg") == b"\xff\xd8jpeg"
    await storage.delete("reports/r1/p.jpg")
    with pytest.raises(KeyError):
        await storage.get("reports/r1/p.jpg")


async def test_presigned_url_reads_the_object_without_credentials(storage: S3Storage) -> None:
    await storage.put("reports/r2/p.jpg", b"photo", content_type="image/jpeg")
    url = storage.signed_url("reports/r2/p.jpg", expires_in=60)
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
        unsigned = await client.get(url.split("?")[0])
    assert response.status_code == 200 and response.content == b"photo"
    assert response.headers["content-type"] == "image/jpeg"
    assert unsigned.status_code == 403
