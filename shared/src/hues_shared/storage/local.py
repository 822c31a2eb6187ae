"""Media as local files (embedded mode); URLs signed with an HMAC and an expiry, checked by `verify`."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import time
from pathlib import Path
from urllib.parse import urlencode

KEY_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./")


def check_key(key: str) -> str:
    """Keys are the service's own (uuid paths); anything that could leave the root is refused."""
    if not key or not set(key) <= KEY_CHARACTERS or ".." in key or key.startswith("/"):
        raise ValueError(f"invalid storage key {key!r}")
    return key


class LocalFileStorage:
    def __init__(self, *, root: str | Path, signing_key: str, url_prefix: str) -> None:
        self.root = Path(root)
        self._signing_key = signing_key.encode()
        self.url_prefix = url_prefix.rstrip("/")

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    async def put(self, key: str, data: bytes, *, content_type: str) -> None:
        path = self._path(key)

        def write() -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(path.suffix + ".part")
            temporary.write_bytes(data)
            temporary.replace(path)

        await asyncio.to_thread(write)

    async def get(self, key: str) -> bytes:
        path = self._path(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError as exc:
            raise KeyError(key) from exc

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)

    def _signature(self, key: str, expires: int) -> str:
        return hmac.new(self._signing_key, f"{key}\n{expires}".encode(), hashlib.sha256).hexdigest()

    def signed_url(self, key: str, *, expires_in: int) -> str:
        expires = int(time.time()) + expires_in
        query = urlencode({"expires": expires, "signature": self._signature(check_key(key), expires)})
        return f"{self.url_prefix}/{key}?{query}"

    def verify(self, key: str, *, expires: int, signature: str, now: float | None = None) -> bool:
        """The URL was signed here for this key and has not expired."""
        if expires < (now if now is not None else time.time()):
            return False
        return hmac.compare_digest(self._signature(check_key(key), expires), signature)
