"""Writes (API key): the upload page, `POST /api/ingest`, `POST /api/graph/sync`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile

from unkg.errors import GraphError
from unkg.ingest.backends import supported_extensions

from .. import schemas as M
from ..context import WebContext, web
from ..data import BadRequest
from ..errors import WRITE_RESPONSES
from ..security import ApiError, require_api_key

router = APIRouter()


def upload_info(ctx: WebContext) -> M.UploadInfo:
    return M.UploadInfo(endpoint="/api/ingest", writes_enabled=bool(ctx.settings.api_key), max_mb=ctx.settings.upload_max_mb,
                        formats=sorted(supported_extensions()))


@router.get("/upload", include_in_schema=False)
def upload_page(request: Request, format: Optional[str] = Query(None, pattern="^(json|html)$"), ctx: WebContext = Depends(web)):
    info = upload_info(ctx)
    if format == "json":
        return JSONResponse(info.model_dump())
    return ctx.page(request, "upload.html", info=info)


@router.post("/api/ingest", summary="Upload and ingest files (API key)", response_model=M.IngestResponse, responses=WRITE_RESPONSES,
             tags=["write"], dependencies=[Depends(require_api_key)],
             openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                 "type": "object", "required": ["files"],
                 "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}}}})
async def api_ingest(request: Request, replace: bool = Query(False, description="let an upload replace a document already stored "
                                                                          "from another file under the same symbol and language"),
                     ctx: WebContext = Depends(web)):
    """Upload files (multipart field `files`) and ingest them. Stored under their SHA-256, never under the client's name."""
    settings, data = ctx.settings, ctx.data
    limit = int(settings.upload_max_mb * 1024 * 1024)
    too_large = ApiError(413, "too_large", f"the upload is larger than the limit of {settings.upload_max_mb:g} MB (UNKG_UPLOAD_MAX_MB)")
    length = request.headers.get("content-length")
    if length is not None:
        try:
            if int(length) > limit + 65536:
                raise too_large
        except ValueError:
            raise ApiError(400, "bad_request", "Content-Length is not a number") from None
    received = 0

    async def limited_receive():
        nonlocal received
        msg = await request.receive()
        if msg.get("type") == "http.request":
            received += len(msg.get("body", b""))
            if received > limit + 65536:
                raise too_large
        return msg

    ctype = request.headers.get("content-type", "")
    if not ctype.startswith("multipart/form-data"):
        raise ApiError(415, "unsupported_media_type", "send the files as multipart/form-data in the field `files`")
    form = await Request(request.scope, limited_receive).form(max_files=50, max_fields=20)
    uploads = [v for v in form.getlist("files") + form.getlist("file") if isinstance(v, UploadFile)]
    if not uploads:
        raise ApiError(400, "no_files", "no files in the request: send them in the multipart field `files`")
    saved = []
    for up in uploads:
        body = await up.read(limit + 1)
        if len(body) > limit:
            raise too_large
        sha, path = await run_in_threadpool(data.save_upload, body, up.filename)
        saved.append((up.filename or "", sha, path, len(body)))
    reports = await run_in_threadpool(data.ingest, sorted({p for _, _, p, _ in saved}), replace)
    by_path = {str(Path(r["path"]).resolve()): r for r in reports}
    files = []
    for name, sha, path, size in saved:
        r = by_path.get(str(path.resolve()), {"status": "failed", "reason": "not ingested", "code": "error"})
        files.append(M.FileOutcome(file=name[:300], stored_as=path.name, size=size, status=r["status"],
                                   reason=str(r.get("reason") or "").replace(str(path.parent) + "/", ""),
                                   code=r.get("code") or "", doc_id=r.get("doc_id"), symbol=r.get("symbol"),
                                   language=r.get("language"), paragraphs=r.get("paragraphs") or 0))
    return M.IngestResponse(count=len(files), files=files)


@router.post("/api/graph/sync", summary="Update graph and search index, optionally Neo4j (API key)", response_model=M.SyncResponse,
             responses=WRITE_RESPONSES, tags=["write"], dependencies=[Depends(require_api_key)])
def api_graph_sync(neo4j: bool = Query(False, description="also send the changes to the graph server named by NEO4J_URI"),
                   ctx: WebContext = Depends(web)):
    """Bring the graph and the search index up to date with the store (incremental); optionally sync Neo4j."""
    try:
        return ctx.data.sync_graph(neo4j=neo4j)
    except GraphError as exc:
        if neo4j and "NEO4J_URI" in str(exc):
            raise BadRequest(str(exc)) from None
        raise
