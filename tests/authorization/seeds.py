"""Per-app set-up of the matrix run: settings an app needs, and real objects its routes' ids point at.

A route whose check depends on the target object (an agency admin acts on *its own unit's* officers,
Art. 13.1) is only exercised when `{account_id}` names such an officer; a random id would answer 404
for everybody and prove nothing. Apps without an entry get placeholder ids.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from hues_shared.settings import ServiceSettings
from hues_shared.testing.apps import RunningService
from hues_shared.testing.tokens import SigningKeys
from hues_shared.types import utcnow
from identity_service.testing import light_settings
from identity_service.units.models import Unit, UnitKind
from tests.authorization.personas import UNIT_1, UNIT_2, personas


def _identity_settings(folder: Path, database_url: str) -> ServiceSettings:
    return light_settings(folder, database_url=database_url)


async def _identity(service: RunningService, keys: SigningKeys) -> dict[str, str]:
    """Units U1 and U2 with the personas' ids, and an agency officer of U1 as the target account."""
    now = utcnow()
    async with service.runtime.db.unit_of_work() as session:
        for unit_id, code in ((UNIT_1, "MATRIX-U1"), (UNIT_2, "MATRIX-U2")):
            session.add(
                Unit(
                    id=unit_id,
                    code=code,
                    name=f"Matrix unit {code}",
                    kind=UnitKind.DEPARTMENT,
                    active=True,
                    created_at=now,
                    updated_at=now,
                )
            )
    response = await service.client.post(
        f"/v1/units/{UNIT_1}/staff",
        json={"full_name": "Trần Thị Bình", "phone": "0905999001", "role": "agency_officer"},
        headers=personas()["dic_admin"].headers(keys),
    )
    assert response.status_code == 201, response.text
    return {"account_id": str(response.json()["account_id"])}


SETTINGS: dict[str, Callable[[Path, str], ServiceSettings]] = {"identity": _identity_settings}
SEEDS: dict[str, Callable[[RunningService, SigningKeys], Awaitable[dict[str, str]]]] = {"identity": _identity}
