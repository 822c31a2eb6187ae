"""Routes of the caller's push devices."""

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from hues_shared.app import DbSession, Runtime
from hues_shared.auth.principal import CurrentPrincipal
from hues_shared.idempotency import idempotency_for
from hues_shared.pagination import Page
from notification_service.push import service
from notification_service.push.schemas import DeviceIn, DeviceOut, LocationIn

router = APIRouter(prefix="/v1/devices", tags=["push"])
OWN: dict[int | str, dict[str, Any]] = {
    401: {"description": "No token"},
    404: {"description": "Not your device"},
}


@router.post(
    "", status_code=201, response_model=DeviceOut, summary="Register a device for push", responses=OWN
)
async def register_device(
    data: DeviceIn, request: Request, session: DbSession, runtime: Runtime, principal: CurrentPrincipal
) -> JSONResponse:
    """Platform, FCM token, locale, app version; the same token again updates it. Honours Idempotency-Key."""
    idempotency = await idempotency_for(request, session, runtime.tables)
    if (replayed := await idempotency.replay()) is not None:
        return replayed
    device = await service.register_device(session, account_id=principal.account_id, data=data)
    body = DeviceOut.model_validate(device).model_dump(mode="json")
    await idempotency.remember(201, body)
    return JSONResponse(body, status_code=201)


@router.get("", summary="My devices", responses=OWN)
async def get_my_devices(session: DbSession, principal: CurrentPrincipal) -> Page[DeviceOut]:
    """Every device of the caller (a handful; one page)."""
    devices = await service.get_devices(session, account_id=principal.account_id)
    return Page(items=[DeviceOut.model_validate(d) for d in devices])


@router.put(
    "/{device_id}/location",
    summary="Update the device's last known location",
    responses={**OWN, 409: {"description": "The device did not opt in"}},
)
async def put_device_location(
    device_id: str, data: LocationIn, session: DbSession, principal: CurrentPrincipal
) -> DeviceOut:
    """Only for devices that opted in; warnings whose CAP area contains it then reach the account too."""
    device = await service.update_location(
        session, account_id=principal.account_id, device_id=device_id, data=data
    )
    return DeviceOut.model_validate(device)


@router.delete("/{device_id}", status_code=204, summary="Unregister a device", responses=OWN)
async def delete_device(device_id: str, session: DbSession, principal: CurrentPrincipal) -> Response:
    """The device stops receiving pushes."""
    await service.delete_device(session, account_id=principal.account_id, device_id=device_id)
    return Response(status_code=204)
