"""Test and benchmark helpers: persona tokens, API shortcuts, the shared Vietnamese corpus of Hue."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from hues_shared.permissions import CATALOG_MODERATE, OFFERING_MANAGE, catalogue
from hues_shared.testing.tokens import SigningKeys, bearer

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WARD = {
    "phu_xuan": "19768",
    "kim_long": "19810",
    "thuan_hoa": "19786",
    "thuy_xuan": "19813",
    "an_cuu": "19815",
    "vy_da": "19777",
}


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 10.0) -> None:
    """Wait for a positive outcome of the event flow (never used as proof that something did not happen)."""
    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.05)


def every_day(opens: str, closes: str) -> list[dict[str, str]]:
    return [{"day": d, "opens": opens, "closes": closes} for d in DAYS]


# (provider key, title, kind, category, ward key, lat, lng, address, hours, extra fields)
CORPUS: list[tuple[str, str, str, str, str, float, float, str, list[dict[str, str]], dict[str, Any]]] = [
    (
        "heritage",
        "Đại Nội Huế",
        "service",
        "heritage",
        "phu_xuan",
        16.4698,
        107.5786,
        "Đường 23 Tháng 8",
        every_day("07:00", "17:30"),
        {
            "description": "Hoàng thành và Tử Cấm thành của triều Nguyễn",
            "hour_exceptions": [
                {"date": "2026-12-05", "closed": True, "note": "Bảo trì"},
                {
                    "date": "2026-12-06",
                    "hours": [{"opens": "19:00", "closes": "01:00"}],
                    "note": "Đêm Hoàng cung",
                },
            ],
        },
    ),
    (
        "heritage",
        "Lăng Tự Đức",
        "service",
        "heritage",
        "thuy_xuan",
        16.4337,
        107.5669,
        "17/69 Lê Ngô Cát",
        every_day("07:00", "17:30"),
        {},
    ),
    (
        "heritage",
        "Lăng Khải Định",
        "service",
        "heritage",
        "thuy_xuan",
        16.3990,
        107.5902,
        "Khải Định",
        every_day("07:00", "17:30"),
        {},
    ),
    (
        "heritage",
        "Điện Hòn Chén",
        "service",
        "heritage",
        "kim_long",
        16.4261,
        107.5300,
        "Hương Thọ",
        every_day("07:00", "17:00"),
        {},
    ),
    (
        "pagoda",
        "Chùa Thiên Mụ",
        "service",
        "heritage",
        "kim_long",
        16.4533,
        107.5446,
        "Kim Long",
        every_day("06:00", "18:00"),
        {"description": "Ngôi chùa cổ bên bờ sông Hương"},
    ),
    (
        "markets",
        "Chợ Đông Ba",
        "goods",
        "market",
        "phu_xuan",
        16.4728,
        107.5889,
        "2 Trần Hưng Đạo",
        every_day("06:00", "18:00"),
        {},
    ),
    (
        "markets",
        "Chợ Bến Ngự",
        "goods",
        "market",
        "an_cuu",
        16.4580,
        107.5850,
        "Phan Đình Phùng",
        every_day("05:00", "12:00"),
        {},
    ),
    (
        "markets",
        "Siêu thị Co.opmart Huế",
        "goods",
        "market",
        "thuan_hoa",
        16.4610,
        107.5960,
        "6 Trần Hưng Đạo",
        every_day("08:00", "22:00"),
        {},
    ),
    (
        "health",
        "Bệnh viện Trung ương Huế",
        "service",
        "hospital",
        "thuan_hoa",
        16.4625,
        107.5876,
        "16 Lê Lợi",
        every_day("00:00", "00:00"),
        {"phone": "0234 3822 325"},
    ),
    (
        "health",
        "Bệnh viện Đại học Y Dược Huế",
        "service",
        "hospital",
        "an_cuu",
        16.4580,
        107.5970,
        "41 Nguyễn Huệ",
        every_day("07:00", "17:00"),
        {},
    ),
    (
        "health",
        "Nhà thuốc Long Châu Hùng Vương",
        "goods",
        "pharmacy",
        "thuan_hoa",
        16.4640,
        107.5990,
        "Hùng Vương",
        every_day("06:30", "22:30"),
        {},
    ),
    (
        "food",
        "Phở bò Huế",
        "service",
        "dining",
        "an_cuu",
        16.4575,
        107.5930,
        "An Cựu",
        every_day("06:00", "10:00"),
        {"price_note": "35.000 đ"},
    ),
    (
        "food",
        "Bún bò Huế Mệ Kéo",
        "service",
        "dining",
        "phu_xuan",
        16.4720,
        107.5850,
        "20 Bạch Đằng",
        every_day("06:00", "21:00"),
        {},
    ),
    (
        "food",
        "Bún bò Huế O Cương Chú Điệp",
        "service",
        "dining",
        "vy_da",
        16.4680,
        107.6010,
        "Vỹ Dạ",
        every_day("06:00", "13:00"),
        {},
    ),
    (
        "food",
        "Cơm hến Hoa Đông",
        "service",
        "dining",
        "phu_xuan",
        16.4700,
        107.5900,
        "Hàng Bè",
        every_day("07:00", "20:00"),
        {},
    ),
    (
        "food",
        "Bánh canh Nam Phổ đêm",
        "service",
        "dining",
        "vy_da",
        16.4690,
        107.6050,
        "Nguyễn Sinh Cung",
        every_day("18:00", "02:00"),
        {},
    ),
    (
        "hotel",
        "Khách sạn Hương Giang",
        "service",
        "lodging",
        "thuan_hoa",
        16.4700,
        107.5940,
        "51 Lê Lợi",
        every_day("00:00", "00:00"),
        {},
    ),
    ("school", "Đại học Huế", "service", "school", "thuan_hoa", 16.4620, 107.5880, "3 Lê Lợi", [], {}),
    (
        "justice",
        "Đăng ký khai sinh",
        "public-service",
        "online-public-services",
        "phu_xuan",
        16.4640,
        107.5870,
        "",
        [],
        {
            "procedure_code": "1.001193",
            "portal_url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001193",
        },
    ),
    (
        "justice",
        "Cấp đổi giấy phép lái xe",
        "public-service",
        "online-public-services",
        "phu_xuan",
        16.4640,
        107.5870,
        "",
        [],
        {
            "procedure_code": "1.002809",
            "portal_url": "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.002809",
        },
    ),
]
PROVIDERS: dict[str, tuple[str, str]] = {
    "heritage": ("Trung tâm Bảo tồn Di tích Cố đô Huế", "agency"),
    "pagoda": ("Ban quản lý Chùa Thiên Mụ", "organization"),
    "markets": ("Công ty Quản lý Chợ Huế", "enterprise"),
    "health": ("Sở Y tế Thành phố Huế", "agency"),
    "food": ("Hội Ẩm thực Huế", "organization"),
    "hotel": ("Công ty Du lịch Hương Giang", "enterprise"),
    "school": ("Đại học Huế", "agency"),
    "justice": ("Sở Tư pháp Thành phố Huế", "agency"),
}


@dataclass
class Personas:
    """Tokens shaped like identity's, for the matrix personas and ad-hoc staff."""

    keys: SigningKeys

    def dic_admin(self) -> dict[str, str]:
        return bearer(
            self.keys.token(roles=["dic_admin"], kind="staff", permissions=[p.code for p in catalogue()])
        )

    def ioc_moderator(self) -> dict[str, str]:
        return bearer(self.keys.token(roles=["ioc_operator"], kind="staff", permissions=[CATALOG_MODERATE]))

    def officer(self, unit_id: str, *, permissions: tuple[str, ...] | None = None) -> dict[str, str]:
        perms = [f"{OFFERING_MANAGE}@{unit_id}"] if permissions is None else list(permissions)
        return bearer(
            self.keys.token(roles=["agency_officer"], kind="staff", unit=unit_id, permissions=perms)
        )

    def organization(self, account_id: str) -> dict[str, str]:
        return bearer(self.keys.token(sub=account_id, roles=["organization"], kind="organization"))

    def citizen(self, account_id: str | None = None) -> dict[str, str]:
        return bearer(self.keys.token(sub=account_id or str(uuid.uuid4()), roles=["citizen"], kind="citizen"))


@dataclass
class CatalogApi:
    client: httpx.AsyncClient
    personas: Personas
    managers: dict[str, dict[str, str]] = field(default_factory=dict)  # provider id -> staff headers

    async def create_provider(
        self, name: str, kind: str = "agency", **fields: Any
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """A provider and headers of its staff (an officer of its unit, or its organization account)."""
        owner = (
            {"unit_id": str(uuid.uuid4())} if kind == "agency" else {"owner_account_id": str(uuid.uuid4())}
        )
        body = {"name": name, "kind": kind, **owner, **fields}
        response = await self.client.post("/v1/providers", json=body, headers=self.personas.dic_admin())
        assert response.status_code == 201, response.text
        provider = response.json()
        staff = (
            self.personas.officer(provider["unit_id"])
            if kind == "agency"
            else self.personas.organization(provider["owner_account_id"])
        )
        self.managers[provider["id"]] = staff
        return provider, staff

    async def publish(self, provider_id: str, **fields: Any) -> dict[str, Any]:
        body = {"kind": "service", "category_code": "dining", "title": "Quán ăn", **fields}
        response = await self.client.post(
            f"/v1/providers/{provider_id}/offerings", json=body, headers=self.managers[provider_id]
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def seed_corpus(self) -> dict[str, dict[str, Any]]:
        """The shared corpus; returns offerings by title."""
        provider_ids = {}
        for key, (name, kind) in PROVIDERS.items():
            provider, _ = await self.create_provider(name, kind, verified=True)
            provider_ids[key] = provider["id"]
        offerings = {}
        for key, title, kind, category, ward, lat, lng, address, hours, extra in CORPUS:
            offerings[title] = await self.publish(
                provider_ids[key],
                title=title,
                kind=kind,
                category_code=category,
                ward_code=WARD[ward],
                latitude=lat,
                longitude=lng,
                address=address or None,
                opening_hours=hours,
                **extra,
            )
        return offerings

    async def search(self, **params: Any) -> list[str]:
        response = await self.client.get("/v1/search", params=params)
        assert response.status_code == 200, response.text
        return [hit["title"] for hit in response.json()["items"]]
