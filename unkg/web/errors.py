"""One error shape for every page and endpoint: `{"error": {"status", "code", "message"}}` (or the error page)."""

from __future__ import annotations

import logging
from typing import Any, Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from unkg.errors import GraphError, SearchError, StoreFull, UnkgError

from . import schemas as M
from .context import WebContext, wants_json
from .data import BadRequest, NotFound, ServerBusy
from .security import ApiError, error_body

log = logging.getLogger("unkg.web")

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": M.ErrorResponse, "description": "bad request"},
    404: {"model": M.ErrorResponse, "description": "not found"},
    422: {"model": M.ErrorResponse, "description": "invalid parameters"},
    429: {"model": M.ErrorResponse, "description": "rate limited"},
}
WRITE_RESPONSES = {**ERROR_RESPONSES,
                   401: {"model": M.ErrorResponse, "description": "API key missing or invalid"},
                   403: {"model": M.ErrorResponse, "description": "writes disabled (UNKG_API_KEY unset)"},
                   413: {"model": M.ErrorResponse, "description": "upload too large"}}


def install_error_handlers(app: FastAPI, ctx: WebContext) -> None:
    """Every exception the views raise becomes the one error shape (HTML for browsers on GET pages)."""

    def error_response(request: Request, status: int, code: str, message: str, headers: Optional[dict] = None) -> Response:
        if wants_json(request) or request.method != "GET":
            return JSONResponse(error_body(status, code, message), status_code=status, headers=headers)
        return ctx.page(request, "error.html", status=status, error=error_body(status, code, message)["error"])

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return error_response(request, exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(UnkgError)
    async def _unkg_error(request: Request, exc: UnkgError):
        if isinstance(exc, NotFound):
            return error_response(request, 404, "not_found", str(exc))
        if isinstance(exc, StoreFull):  # the message names server paths: logged, not answered
            log.error("store full on %s: %s", request.url.path, exc)
            return error_response(request, 507, "insufficient_storage", "the server's disk is full; nothing was stored. Try again later")
        if isinstance(exc, ServerBusy):
            return error_response(request, 503, "busy", str(exc), {"Retry-After": "60"})
        if isinstance(exc, (BadRequest, SearchError)):
            return error_response(request, 400, "bad_request", str(exc))
        log.warning("unkg error on %s: %s", request.url.path, exc)
        code = "graph_error" if isinstance(exc, GraphError) else "server_error"
        return error_response(request, 500, code, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        codes = {404: "not_found", 405: "method_not_allowed", 413: "too_large", 401: "unauthorized", 403: "forbidden"}
        msg = exc.detail if isinstance(exc.detail, str) else "request refused"
        if exc.status_code == 404 and msg == "Not Found":
            msg = f"nothing at {request.url.path}; the pages are /, /documents, /mandates, /graph and the API is described at /docs"
        return error_response(request, exc.status_code, codes.get(exc.status_code, "http_error"), msg, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        parts = []
        for e in exc.errors()[:5]:
            loc = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body"))
            parts.append(f"{loc or 'request'}: {e.get('msg', 'invalid')}")
        return error_response(request, 422, "invalid_request", "; ".join(parts) or "invalid request")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unexpected error on %s", request.url.path)
        return JSONResponse(error_body(500, "internal_error", "the server failed on this request; the error was logged"),
                            status_code=500)
