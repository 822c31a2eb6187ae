"""Test support: an API driver for feedback-service (its tests, the e2e tests and bench/feedback use it)."""

from __future__ import annotations

import asyncio
import io
import struct
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from PIL import Image

from feedback_service.units.models import Unit
from hues_shared.contracts.identity import UnitCreated
from hues_shared.events.outbox import envelope_for
from hues_shared.permissions import REPORT_PROCESS, REPORT_TRIAGE
from hues_shared.testing.apps import RunningService
from hues_shared.testing.tokens import SigningKeys, bearer

PHU_XUAN = "19768"  # Phường Phú Xuân
VY_DA = "19777"  # Phường Vỹ Dạ
CITADEL = (16.4698, 107.5786)  # inside Hue


def report_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "category_code": "roads-traffic",
        "title": "Ổ gà trên đường Lê Lợi",
        "description": "Ổ gà lớn giữa đường, xe máy dễ ngã.",
        "latitude": CITADEL[0],
        "longitude": CITADEL[1],
        "address": "12 Lê Lợi",
        "ward_code": PHU_XUAN,
        "is_public": True,
        "urgent": False,
    }
    body.update(overrides)
    return body


def photo_with_gps(size: tuple[int, int] = (800, 600), orientation: int | None = None) -> bytes:
    """A JPEG carrying what must never leave: GPS position, camera make and model."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Canon"  # Make
    exif[0x0110] = "EOS-SECRET-MODEL"  # Model
    if orientation:
        exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (16.0, 27.0, 49.0), "E", (107.0, 35.0, 27.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def mp4_box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mp4_video(seconds: int, *, location: bytes = b"+16.4637+107.5909/") -> bytes:
    """A minimal MP4 of `seconds` whose udta box carries a location (as phones write it)."""
    mvhd = mp4_box(b"mvhd", bytes(4) + struct.pack(">IIII", 0, 0, 1000, seconds * 1000) + bytes(80))
    udta = mp4_box(b"udta", mp4_box(b"\xa9xyz", location))
    return (
        mp4_box(b"ftyp", b"isom" + bytes(4) + b"isomavc1")
        + mp4_box(b"moov", mvhd + udta)
        + mp4_box(b"mdat", bytes(64))
    )


class FeedbackDriver:
    """Drives feedback-service through its HTTP API as citizens, the IOC and officers do."""

    def __init__(self, service: RunningService, keys: SigningKeys) -> None:
        self.service = service
        self.client: httpx.AsyncClient = service.client
        self.keys = keys

    # tokens -------------------------------------------------------------------------------------
    def citizen(self, account_id: str | None = None) -> dict[str, str]:
        return bearer(self.keys.token(sub=account_id or str(uuid.uuid4()), roles=["citizen"]))

    def ioc(self) -> dict[str, str]:
        return bearer(self.keys.token(roles=["ioc_operator"], kind="staff", permissions=[REPORT_TRIAGE]))

    def officer(self, unit_id: str) -> dict[str, str]:
        return bearer(
            self.keys.token(
                roles=["agency_officer"],
                kind="staff",
                unit=unit_id,
                permissions=[f"{REPORT_PROCESS}@{unit_id}"],
            )
        )

    # units (as identity publishes them) ----------------------------------------------------------
    async def add_unit(self, *, ward_code: str | None = PHU_XUAN, name: str | None = None) -> str:
        unit_id = str(uuid.uuid4())
        event = UnitCreated(
            unit_id=unit_id,
            code=f"U-{unit_id[:8]}",
            name=name or f"UBND {unit_id[:4]}",
            kind="ward_committee",
            ward_code=ward_code,
            created_at=datetime.now(UTC),
        )
        await self.service.runtime.bus.publish([envelope_for(event, source="/hues/identity-service")])
        await self.wait_for_unit(unit_id)
        return unit_id

    async def wait_for_unit(self, unit_id: str) -> Unit:
        for _ in range(200):
            async with self.service.runtime.db.sessions() as session:
                unit = await session.get(Unit, unit_id)
                if unit is not None:
                    return unit
            await asyncio.sleep(0.02)
        raise AssertionError(f"unit {unit_id} never projected")

    # reports ------------------------------------------------------------------------------------
    async def submit(self, headers: dict[str, str] | None = None, **overrides: Any) -> dict[str, Any]:
        response = await self.client.post(
            "/v1/reports", json=report_body(**overrides), headers=headers or self.citizen()
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def etag(self, report_id: str, headers: dict[str, str]) -> str:
        response = await self.client.get(f"/v1/reports/{report_id}", headers=headers)
        assert response.status_code == 200, response.text
        return response.headers["ETag"]

    async def act(
        self, report_id: str, step: str, headers: dict[str, str], body: dict[str, Any] | None = None
    ) -> httpx.Response:
        """POST a workflow step with the current ETag as If-Match (the reporter's steps need none)."""
        etag_headers = dict(headers)
        response = await self.client.get(f"/v1/reports/{report_id}", headers=headers)
        if response.status_code == 200:
            etag_headers["If-Match"] = response.headers["ETag"]
        return await self.client.post(
            f"/v1/reports/{report_id}/{step}", json=body or {}, headers=etag_headers
        )

    async def assigned_report(self, unit_id: str, **overrides: Any) -> tuple[dict[str, Any], dict[str, str]]:
        """A report accepted by the IOC and assigned to `unit_id`; returns it and its reporter's headers."""
        reporter = self.citizen()
        report = await self.submit(reporter, **overrides)
        response = await self.act(report["id"], "accept", self.ioc(), {"unit_id": unit_id})
        assert response.status_code == 200, response.text
        return response.json(), reporter
