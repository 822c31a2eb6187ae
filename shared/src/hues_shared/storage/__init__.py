"""Object storage for media behind one interface: local files (embedded mode) or S3-compatible storage
(distributed mode: MinIO in compose), read through short-lived signed URLs."""

from hues_shared.storage.base import MediaStorage, StorageSettings, build_storage
from hues_shared.storage.local import LocalFileStorage
from hues_shared.storage.s3 import S3Storage

__all__ = ["LocalFileStorage", "MediaStorage", "S3Storage", "StorageSettings", "build_storage"]
