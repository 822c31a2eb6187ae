"""Test support: light settings and an API driver for identity-service (used by its tests and e2e tests)."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from hues_shared.permissions import catalogue
from hues_shared.testing.apps import RunningService
from hues_shared.testing.tokens import SigningKeys, bearer
from hues_shared.types import utcnow
from identity_service.components import IdentityComponents, identity_components
from identity_service.config import IdentitySettings
from identity_service.messages import repository as messages
from identity_service.verification.providers import ConsoleProvider

PASSWORD = "Sông-Hương#2026"
CITIZEN_CCCD = "046085001234"  # Hue (046), male born 1985


def light_settings(tmp_path: Path, **overrides: Any) -> IdentitySettings:
    """Valid but cheap Argon2 parameters so the suite stays fast; production defaults are OWASP's."""
    values: dict[str, Any] = {
        "environment": "test",
        "database_url": f"sqlite+aiosqlite:///{tmp_path}/identity.db",
        "log_json": False,
        "argon2_memory_kib": 64,
        "argon2_time_cost": 1,
        "otp_resend_interval_seconds": 0,
        "maintenance_interval_seconds": 3600,
    }
    values.update(overrides)
    return IdentitySettings(**values)


class IdentityDriver:
    """Drives identity through its HTTP API the way the app and operators do."""

    def __init__(self, service: RunningService, keys: SigningKeys) -> None:
        self.service = service
        self.client: httpx.AsyncClient = service.client
        self.keys = keys
        self.components: IdentityComponents = identity_components(service.runtime)
        self._phone_counter = 0

    @property
    def console(self) -> ConsoleProvider:
        assert isinstance(self.components.messages, ConsoleProvider)
        return self.components.messages

    def next_phone(self) -> str:
        self._phone_counter += 1
        return f"0905{self._phone_counter:06d}"

    async def delivered(self, within_seconds: float = 10.0) -> None:
        """Wait until every queued message went through the handler to the provider (texts are sent
        after the request commits, by identity's own event handler)."""
        deadline = asyncio.get_running_loop().time() + within_seconds
        while True:
            async with self.service.runtime.db.sessions() as session:
                if await messages.count_unsent(session) == 0:
                    return
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError("queued messages were not delivered")
            self.service.runtime.relay.wake()
            await asyncio.sleep(0.02)

    async def last_code_to(self, destination: str) -> str:
        await self.delivered()
        message = self.console.last_to(destination)
        assert message is not None, f"nothing sent to {destination}"
        return next(
            word for word in message.text.replace(",", " ").split() if word.isdigit() and len(word) >= 6
        )

    async def last_password_to(self, phone: str) -> str:
        await self.delivered()
        message = self.console.last_to(phone)
        assert message is not None
        found = re.search(r"(?:tam thoi:|la) (\S+)\. Hay", message.text)
        assert found is not None, message.text
        return found.group(1)

    def citizen_body(self, **overrides: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "full_name": "Nguyễn Văn An",
            "birth_date": "1985-04-12",
            "sex": "male",
            "phone": self.next_phone(),
            "email": "an.nguyen@example.vn",
            "home_ward_code": None,
            "document": {"type": "cccd", "number": CITIZEN_CCCD},
            "password": PASSWORD,
        }
        body.update(overrides)
        return body

    async def register_citizen(self, **overrides: Any) -> httpx.Response:
        return await self.client.post("/v1/accounts/citizens", json=self.citizen_body(**overrides))

    async def verify(self, account_id: str, phone: str) -> httpx.Response:
        code = await self.last_code_to(phone)
        return await self.client.post("/v1/accounts/verify", json={"account_id": account_id, "code": code})

    async def active_citizen(self, **overrides: Any) -> dict[str, Any]:
        body = self.citizen_body(**overrides)
        response = await self.client.post("/v1/accounts/citizens", json=body)
        assert response.status_code == 201, response.text
        account_id = response.json()["account_id"]
        assert (await self.verify(account_id, body["phone"])).status_code == 200
        return {**body, "account_id": account_id}

    async def login(self, username: str, password: str = PASSWORD, **form: str) -> httpx.Response:
        data = {"grant_type": "password", "username": username, "password": password, **form}
        return await self.client.post("/v1/auth/token", data=data)

    async def access_token(self, username: str, password: str = PASSWORD) -> str:
        response = await self.login(username, password)
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    def dic_admin_headers(self, **claims: Any) -> dict[str, str]:
        """A hand-made DIC administrator token (verified through the fallback test keys)."""
        token = self.keys.token(
            roles=["dic_admin"], kind="staff", permissions=[p.code for p in catalogue()], **claims
        )
        return bearer(token)

    async def create_unit(self, code: str, kind: str = "department") -> str:
        response = await self.client.post(
            "/v1/units",
            json={"code": code, "name": f"Unit {code}", "kind": kind},
            headers=self.dic_admin_headers(),
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    async def create_staff(
        self, unit_id: str, role: str = "agency_officer", headers: dict[str, str] | None = None
    ) -> dict[str, Any]:
        phone = self.next_phone()
        response = await self.client.post(
            f"/v1/units/{unit_id}/staff",
            json={"full_name": "Trần Thị Bình", "phone": phone, "role": role},
            headers=headers or self.dic_admin_headers(),
        )
        assert response.status_code == 201, response.text
        return {**response.json(), "phone": phone}


async def backdate(
    service: RunningService, model: type[Any], column: str, age: timedelta, **where: Any
) -> None:
    """Move a timestamp into the past through the ORM (SQLite compares its own datetime format)."""
    query = sa.update(model).values({column: utcnow() - age})
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    async with service.runtime.db.unit_of_work() as session:
        await session.execute(query)
