"""The gateway's coarse filter on whole path prefixes, for routes the services do not serve yet: a new
admin or operations route is guarded at the gateway from its first day (gateway/routes.toml)."""

from __future__ import annotations

import pytest

from hues_launcher.registry import SERVICES
from tests.authorization.platform import Platform

NOT_STAFF = ["citizen", "organization", "partner_client"]
WITHOUT_DEAD_LETTER_PERMISSION = ["citizen", "officer", "agency_admin", "ioc_operator", "partner_client"]


@pytest.mark.parametrize("persona", NOT_STAFF)
async def test_gateway_keeps_non_staff_out_of_any_identity_admin_path(
    platform: Platform, persona: str
) -> None:
    """Route identity.admin (require_any_role = staff roles) covers admin paths identity adds later."""
    response = await platform.gateway_alone.client.get(
        "/v1/identity/admin/not-yet-built", headers=platform.headers[persona]
    )
    assert response.status_code == 403, response.text


async def test_gateway_lets_staff_reach_identity_admin_paths(platform: Platform) -> None:
    response = await platform.gateway_alone.client.get(
        "/v1/identity/admin/not-yet-built", headers=platform.headers["officer"]
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("service", list(SERVICES))
@pytest.mark.parametrize("persona", WITHOUT_DEAD_LETTER_PERMISSION)
async def test_gateway_refuses_operations_paths_without_the_dead_letter_permission(
    platform: Platform, service: str, persona: str
) -> None:
    """Routes <service>.dead-letters (platform.deadletter.manage, Art. 15.1) of every service."""
    response = await platform.gateway_alone.client.get(
        f"/v1/{service}/ops/anything", headers=platform.headers[persona]
    )
    assert response.status_code == 403, response.text


@pytest.mark.parametrize("service", list(SERVICES))
async def test_gateway_lets_the_dead_letter_permission_reach_operations_paths(
    platform: Platform, service: str
) -> None:
    response = await platform.gateway_alone.client.get(
        f"/v1/{service}/ops/anything", headers=platform.headers["dic_admin"]
    )
    assert response.status_code == 200, response.text
