"""Fetch the upstreams' OpenAPI documents (cached) and merge them; a down service is listed, not fatal."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

import httpx

from gateway.docs.merge import merge_documents
from gateway.routing.matcher import RouteMatcher

logger = logging.getLogger(__name__)
RETRY_MISSING_SECONDS = 5.0


class MergedOpenApi:
    def __init__(
        self,
        *,
        matcher: RouteMatcher,
        upstream_urls: dict[str, str],
        base_document: Callable[[], dict[str, Any]],
        cache_seconds: float,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.matcher = matcher
        self.upstream_urls = upstream_urls
        self.base_document = base_document
        self.cache_seconds = cache_seconds
        self._client = client
        self._documents: dict[str, dict[str, Any]] = {}
        self._merged: dict[str, Any] | None = None
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    async def _fetch(self, client: httpx.AsyncClient, name: str, url: str) -> None:
        try:
            response = await client.get(f"{url}/openapi.json")
            response.raise_for_status()
            self._documents[name] = response.json()
        except Exception as exc:
            logger.warning(
                "could not fetch an upstream's OpenAPI document", extra={"upstream": name, "error": repr(exc)}
            )

    @property
    def missing(self) -> list[str]:
        return sorted(set(self.upstream_urls) - set(self._documents))

    def _stale(self) -> bool:
        age = time.monotonic() - self._fetched_at
        return (
            self._merged is None
            or age > self.cache_seconds
            or (bool(self.missing) and age > RETRY_MISSING_SECONDS)
        )

    async def document(self) -> dict[str, Any]:
        """The merged document; refetched after `cache_seconds`, or soon when a service was missing."""
        if self._stale():
            async with self._lock:
                if self._stale():
                    client = self._client or httpx.AsyncClient(timeout=3.0, trust_env=False)
                    try:
                        await asyncio.gather(
                            *(self._fetch(client, n, u) for n, u in self.upstream_urls.items())
                        )
                    finally:
                        if self._client is None:
                            await client.aclose()
                    merged = merge_documents(self.base_document(), self._documents, self.matcher)
                    merged["x-unavailable-upstreams"] = [f"{n}-service" for n in self.missing]
                    self._merged = merged
                    self._fetched_at = time.monotonic()
        assert self._merged is not None
        return self._merged
