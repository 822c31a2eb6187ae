"""One in-process platform per session for every matrix test (services, gateway, gateway alone)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from hues_shared.testing.tokens import SigningKeys
from tests.authorization.platform import Platform, running_platform


@pytest.fixture(scope="session")
async def platform(
    tmp_path_factory: pytest.TempPathFactory, test_keys: SigningKeys
) -> AsyncIterator[Platform]:
    async with running_platform(tmp_path_factory.mktemp("matrix"), test_keys) as running:
        yield running
