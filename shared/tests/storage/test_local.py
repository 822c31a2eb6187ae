"""Local media storage (embedded mode): round trip, signed URLs that expire, keys that stay inside."""

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from hues_shared.storage import LocalFileStorage


@pytest.fixture
def storage(tmp_path: Path) -> LocalFileStorage:
    return LocalFileStorage(root=tmp_path, signing_key="k", url_prefix="/v1/media")


async def test_put_get_delete_round_trip(storage: LocalFileStorage) -> None:
    await storage.put("reports/a/photo.jpg", b"jpeg", content_type="image/jpeg")
    assert await storage.get("reports/a/photo.jpg") == b"jpeg"
    await storage.delete("reports/a/photo.jpg")
    with pytest.raises(KeyError):
        await storage.get("reports/a/photo.jpg")


def _query(url: str) -> tuple[str, int, str]:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    return parts.path, int(query["expires"][0]), query["signature"][0]


def test_signed_url_verifies_until_it_expires(storage: LocalFileStorage) -> None:
    path, expires, signature = _query(storage.signed_url("reports/a/photo.jpg", expires_in=60))
    assert path == "/v1/media/reports/a/photo.jpg"
    assert storage.verify("reports/a/photo.jpg", expires=expires, signature=signature)
    assert not storage.verify("reports/a/photo.jpg", expires=expires, signature=signature, now=expires + 1)


def test_a_signature_does_not_open_another_key_or_a_later_expiry(storage: LocalFileStorage) -> None:
    _, expires, signature = _query(storage.signed_url("reports/a/photo.jpg", expires_in=60))
    assert not storage.verify("reports/b/photo.jpg", expires=expires, signature=signature)
    assert not storage.verify("reports/a/photo.jpg", expires=expires + 3600, signature=signature)


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs", "a/../../b", "a b", ""])
async def test_keys_that_could_leave_the_root_are_refused(storage: LocalFileStorage, key: str) -> None:
    with pytest.raises(ValueError):
        await storage.put(key, b"x", content_type="text/plain")
