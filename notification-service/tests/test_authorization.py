"""Function-level authorization of every route, with attempts to break it (Art. 13.1, 15.1)."""

from __future__ import annotations

import uuid

import pytest

from hues_shared.testing.tokens import bearer
from notification_service.testing import UNIT_1, World

ID = str(uuid.uuid4())
STAFF_ONLY = [
    ("POST", "/v1/notices"),
    ("POST", "/v1/alerts"),
    ("GET", "/v1/notices"),
    ("GET", f"/v1/notices/{ID}"),
    ("PUT", f"/v1/notices/{ID}"),
    ("PUT", f"/v1/alerts/{ID}"),
    ("POST", f"/v1/notices/{ID}/approve"),
    ("POST", f"/v1/notices/{ID}/publish"),
    ("GET", f"/v1/notices/{ID}/statistics"),
]
ACCOUNT_ONLY = [
    ("GET", "/v1/inbox"),
    ("GET", "/v1/inbox/unread-count"),
    ("PATCH", f"/v1/inbox/{ID}"),
    ("GET", "/v1/preferences"),
    ("PUT", "/v1/preferences"),
    ("GET", "/v1/devices"),
    ("POST", "/v1/devices"),
    ("PUT", f"/v1/devices/{ID}/location"),
    ("DELETE", f"/v1/devices/{ID}"),
]
ALERT_ONLY = [("POST", "/v1/alerts"), ("PUT", f"/v1/alerts/{ID}"), ("POST", f"/v1/notices/{ID}/approve")]


@pytest.mark.parametrize(("method", "path"), STAFF_ONLY + ACCOUNT_ONLY)
async def test_no_token_is_refused(world: World, method: str, path: str) -> None:
    response = await world.service.client.request(method, path)
    assert response.status_code == 401


@pytest.mark.parametrize(("method", "path"), STAFF_ONLY)
async def test_a_citizen_cannot_author(world: World, method: str, path: str) -> None:
    citizen = world.keys.token(roles=("citizen",))
    assert (await world.service.client.request(method, path, headers=bearer(citizen))).status_code == 403


@pytest.mark.parametrize(("method", "path"), STAFF_ONLY)
async def test_staff_without_a_publishing_permission_cannot_author(
    world: World, method: str, path: str
) -> None:
    admin = world.staff("identity.staff.manage@" + UNIT_1, roles=("agency_admin",))
    assert (await world.service.client.request(method, path, headers=bearer(admin))).status_code == 403


@pytest.mark.parametrize(("method", "path"), ALERT_ONLY)
async def test_a_notice_publisher_cannot_author_or_approve_warnings(
    world: World, method: str, path: str
) -> None:
    officer = world.staff("notification.notice.publish@" + UNIT_1)
    assert (await world.service.client.request(method, path, headers=bearer(officer))).status_code == 403


@pytest.mark.parametrize(("method", "path"), ACCOUNT_ONLY)
async def test_an_expired_password_must_be_changed_first(world: World, method: str, path: str) -> None:
    token = world.keys.token(roles=("citizen",), pwd_expired=True)
    assert (await world.service.client.request(method, path, headers=bearer(token))).status_code == 403


@pytest.mark.parametrize("path", ["/v1/feeds/alerts.atom", "/v1/feeds/alerts.json"])
async def test_feeds_are_public(world: World, path: str) -> None:
    assert (await world.service.client.get(path)).status_code == 200
