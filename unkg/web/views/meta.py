"""The server itself: the npm-installed web libraries, the OpenAPI page, health."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse

from ..context import VENDOR, WebContext, vendor_file, web
from ..data import NotFound

router = APIRouter()


@router.get("/static/vendor/{name}", include_in_schema=False)
def vendor(name: str):
    p = vendor_file(name) if name in VENDOR else None
    if p is None:
        raise NotFound(f"{name} is not installed: run `npm ci` in the repository root (the setup step does)")
    return FileResponse(p, media_type="text/css" if name.endswith(".css") else "text/javascript")


@router.get("/docs", include_in_schema=False)
def openapi_page():
    """The OpenAPI page, with swagger-ui served by this app."""
    return get_swagger_ui_html(openapi_url="/openapi.json", title="unkg API",
                               swagger_js_url="/static/vendor/swagger-ui-bundle.js",
                               swagger_css_url="/static/vendor/swagger-ui.css", swagger_favicon_url="/static/favicon.svg",
                               swagger_ui_parameters={"validatorUrl": None})  # no call to validator.swagger.io


@router.get("/api/health", summary="Server status and store counts", tags=["meta"])
def api_health(ctx: WebContext = Depends(web)) -> dict:
    """Store counts; the server is up."""
    return {"ok": True, **ctx.data.counts(), "writes_enabled": bool(ctx.settings.api_key)}
