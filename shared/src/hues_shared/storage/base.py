"""The storage interface every media-keeping service uses (feedback's photos, catalog's pictures)."""

from __future__ import annotations

from typing import Literal, Protocol

from pydantic import BaseModel, SecretStr


class MediaStorage(Protocol):
    """Keeps immutable objects under keys; hands out short-lived signed URLs for reading them."""

    async def put(self, key: str, data: bytes, *, content_type: str) -> None: ...
    async def get(self, key: str) -> bytes: ...
    async def delete(self, key: str) -> None: ...
    def signed_url(self, key: str, *, expires_in: int) -> str: ...


class StorageSettings(BaseModel):
    """Where media go. `local` for embedded mode; `s3` for MinIO or any S3-compatible service."""

    backend: Literal["local", "s3"] = "local"
    local_root: str = "var/media"
    # Local URLs are served by the owning service at this prefix (as the gateway publishes it).
    local_url_prefix: str = "/v1/media"
    signing_key: SecretStr = SecretStr("development-only-media-signing-key")
    s3_endpoint_url: str | None = None
    s3_region: str = "us-east-1"
    s3_bucket: str = "hues-media"
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None


def build_storage(settings: StorageSettings) -> MediaStorage:
    from hues_shared.storage.local import LocalFileStorage
    from hues_shared.storage.s3 import S3Storage

    if settings.backend == "s3":
        return S3Storage(
            bucket=settings.s3_bucket,
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=(
                settings.s3_secret_access_key.get_secret_value() if settings.s3_secret_access_key else None
            ),
        )
    return LocalFileStorage(
        root=settings.local_root,
        signing_key=settings.signing_key.get_secret_value(),
        url_prefix=settings.local_url_prefix,
    )
