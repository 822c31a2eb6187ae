"""The merged OpenAPI document and its Swagger UI, for app developers and partners."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

router = APIRouter(tags=["documentation"])


@router.get("/openapi.json", include_in_schema=False)
async def get_openapi_document(request: Request) -> JSONResponse:
    """Every service's public operations at their gateway paths, with the bearer scheme and policies."""
    document = await request.app.state.runtime.openapi.document()
    return JSONResponse(document)


@router.get("/docs", include_in_schema=False)
async def get_docs_page() -> HTMLResponse:
    """Swagger UI over the merged document."""
    return get_swagger_ui_html(openapi_url="/openapi.json", title="Hue-S API")
