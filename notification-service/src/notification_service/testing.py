"""Test support: settings, test ward centres and a driver over a running notification-service."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hues_shared.contracts.identity import AccountRegistered
from hues_shared.events.outbox import envelope_for
from hues_shared.testing.apps import RunningService
from hues_shared.testing.tokens import SigningKeys, bearer
from notification_service.config import NotificationSettings

# Test coordinates only (the real centres come from the DIC's GIS layer through ward_centres_file).
PHU_XUAN, THUAN_AN, KHE_TRE = "19768", "19900", "20161"
CENTRES = {PHU_XUAN: (16.470, 107.580), THUAN_AN: (16.560, 107.640), KHE_TRE: (16.170, 107.820)}
UNIT_1, UNIT_2 = "unit-1", "unit-2"


def write_centres(path: Path) -> Path:
    rows = ["ward_code,name,latitude,longitude"] + [
        f"{c},ward {c},{lat},{lon}" for c, (lat, lon) in CENTRES.items()
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def settings_for(tmp_path: Path, **overrides: Any) -> NotificationSettings:
    values: dict[str, Any] = {
        "environment": "test",
        "database_url": f"sqlite+aiosqlite:///{tmp_path}/notification.db",
        "log_json": False,
        "ward_centres_file": write_centres(tmp_path / "centres.csv"),
        "push_enabled": False,
    }
    values.update(overrides)
    return NotificationSettings(**values)


@dataclass
class World:
    """Builders over one running service: accounts, staff tokens, notices and warnings."""

    service: RunningService
    keys: SigningKeys

    def staff(
        self, *permissions: str, unit: str | None = UNIT_1, roles: tuple[str, ...] = ("agency_officer",)
    ) -> str:
        return self.keys.token(
            sub=str(uuid.uuid4()), roles=roles, permissions=permissions, unit=unit, kind="staff"
        )

    def operator(self) -> str:
        return self.staff(
            "notification.alert.publish", "notification.notice.publish", unit=None, roles=("ioc_operator",)
        )

    async def citizen(self, *, ward: str | None = None, language: str = "vi", kind: str = "citizen") -> str:
        """A registered account (projected from identity's event); returns its token."""
        account_id = str(uuid.uuid4())
        event = AccountRegistered(
            account_id=account_id,
            kind=kind,
            display_name="Nguyễn Văn A",
            home_ward_code=ward,
            language=language,
            registered_at=datetime.now(UTC),
        )
        await self.service.runtime.bus.publish([envelope_for(event, source="/hues/identity-service")])
        token = self.keys.token(sub=account_id, roles=(kind,), kind=kind)
        await self.wait_for(token, lambda items: any(i["type"] == "welcome" for i in items))
        return token

    def keys_sub(self, token: str) -> str:
        from jose import jwt

        return str(jwt.get_unverified_claims(token)["sub"])

    async def inbox(self, token: str, query: str = "", language: str = "vi") -> list[dict[str, Any]]:
        response = await self.service.client.get(
            f"/v1/inbox{query}", headers={**bearer(token), "Accept-Language": language}
        )
        assert response.status_code == 200, response.text
        return list(response.json()["items"])

    async def broadcasts(self, token: str) -> list[dict[str, Any]]:
        return [i for i in await self.inbox(token) if i["kind"] != "message"]

    async def wait_for(self, token: str, predicate: Any) -> list[dict[str, Any]]:
        for _ in range(200):
            items = await self.inbox(token)
            if predicate(items):
                return items
            await asyncio.sleep(0.02)
        raise AssertionError("inbox never matched")

    async def post(self, path: str, token: str, body: dict[str, Any] | None = None, **headers: str) -> Any:
        return await self.service.client.post(path, json=body, headers={**bearer(token), **headers})

    async def draft_notice(self, token: str, target: dict[str, Any], **fields: Any) -> dict[str, Any]:
        body = {
            "topic": "city",
            "title": {"vi": "Thông báo", "en": "Notice"},
            "body": {"vi": "Nội dung", "en": "Content"},
            "target": target,
            **fields,
        }
        response = await self.post("/v1/notices", token, body)
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def draft_alert(self, token: str, target: dict[str, Any] | None, **fields: Any) -> dict[str, Any]:
        response = await self.post("/v1/alerts", token, alert_body(target, **fields))
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def publish(self, token: str, notice_id: str) -> dict[str, Any]:
        response = await self.post(f"/v1/notices/{notice_id}/publish", token)
        assert response.status_code == 200, response.text
        return dict(response.json())

    async def published_notice(self, target: dict[str, Any], **fields: Any) -> dict[str, Any]:
        operator = self.operator()
        return await self.publish(operator, (await self.draft_notice(operator, target, **fields))["id"])

    async def published_alert(self, target: dict[str, Any] | None, **fields: Any) -> dict[str, Any]:
        operator = self.operator()
        return await self.publish(operator, (await self.draft_alert(operator, target, **fields))["id"])


def alert_body(target: dict[str, Any] | None, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "topic": "flood",
        "category": "Met",
        "event": "Lũ lụt",
        "urgency": "Expected",
        "severity": "Moderate",
        "certainty": "Likely",
        "response_types": ["Prepare"],
        "expires_at": (datetime.now(UTC) + timedelta(hours=6)).isoformat(),
        "headline": {"vi": "Cảnh báo lũ", "en": "Flood warning"},
        "description": {"vi": "Mực nước sông Hương dâng cao", "en": "The Perfume River is rising"},
        "instruction": {"vi": "Di chuyển đồ đạc lên cao", "en": "Move belongings up"},
        "sender_name": "Trung tâm IOC Huế",
        "area_desc": "Thành phố Huế",
    }
    if target is not None:
        body["target"] = target
    body.update(fields)
    return body
