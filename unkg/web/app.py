"""The FastAPI app: HTML pages, each with a JSON twin, and the HTTP API.

Pages: `/` (search), `/documents`, `/documents/{id}`, `/paragraphs/{id}`,
`/mandates`, `/graph`. Each answers JSON with `?format=json`, and the same
data lives under `/api/...` (documented at `/docs`, schema at `/openapi.json`).
Write endpoints (`POST /api/ingest`, `POST /api/graph/sync`) need the key from
`UNKG_API_KEY`. Every error has one shape: `{"error": {"status", "code", "message"}}`.
"""

from __future__ import annotations

import logging
import re
import threading
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Optional
from urllib.parse import quote, urlencode

from fastapi import Depends, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from unkg.errors import GraphError, SearchError, StoreFull, UnkgError
from unkg.model import DocumentMeta
from unkg.settings import Settings

from . import schemas as M
from unkg import __version__
from unkg.corpus.citation import permalink
from unkg.graph.lifecycle import STATUSES
from unkg.graph.mandates import actor_name, text_dir
from unkg.graph.query import MAX_PATH_STEPS

from .data import Backend, BadRequest, NotFound, ServerBusy, find_nodes, neighbourhood, shortest_path
from .security import ApiError, RateLimitMiddleware, TokenBucket, error_body, require_api_key

log = logging.getLogger("unkg.web")

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"
REPO_ROOT = HERE.parent.parent
VENDOR = {
    # served file -> where the npm setup step puts it (never a CDN)
    "cytoscape.min.js": ["node_modules/cytoscape/dist/cytoscape.min.js"],
    "swagger-ui-bundle.js": ["node_modules/swagger-ui-dist/swagger-ui-bundle.js"],
    "swagger-ui.css": ["node_modules/swagger-ui-dist/swagger-ui.css"],
}

#: defence in depth behind the escaping: the pages run only this app's own scripts, load nothing from elsewhere
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                               "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

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

_WORD = re.compile(r"[\w\-]+", re.U)
_STOP = {"the", "and", "of", "to", "in", "a", "an", "on", "for", "by", "with", "as", "at", "or", "is", "are", "be",
         "de", "la", "le", "les", "des", "et", "du", "el", "los", "las", "y", "en"}


def vendor_file(name: str) -> Optional[Path]:
    for rel in [f"unkg/web/static/vendor/{name}", *VENDOR.get(name, [])]:
        for root in (REPO_ROOT, Path.cwd()):
            p = root / rel
            if p.is_file():
                return p
    return None


# -- text helpers used by the templates ---------------------------------------------


def query_terms(q: str) -> list[str]:
    terms = []
    for w in _WORD.findall(q or ""):
        wl = w.lower()
        if wl in _STOP or (len(wl) < 2 and not re.match(r"[\u3400-\u9fff]", wl)):
            continue
        if wl not in terms:
            terms.append(wl)
    return terms[:20]


def highlight(text: str, terms: list[str]) -> list[dict]:
    """Split text into segments, `match` true where a query term occurs (case-insensitive); the template escapes each."""
    if not terms:
        return [{"text": text, "match": False}]
    pat = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I)
    out, pos = [], 0
    for m in pat.finditer(text):
        if m.start() > pos:
            out.append({"text": text[pos:m.start()], "match": False})
        out.append({"text": m.group(0), "match": True})
        pos = m.end()
    if pos < len(text):
        out.append({"text": text[pos:], "match": False})
    return out


def marked(text: str, entities: list, citations: list) -> list[dict]:
    """Split text into segments marking entity and citation spans (class and a title naming what was found)."""
    spans = []
    for e in entities:
        spans.append((e.start, e.end, f"ent ent-{e.type}", f"{e.type}: {e.name} ({e.id})"))
    for c in citations:
        spans.append((c.start, c.end, f"ent ent-cite cite-{c.type}", f"{c.type.replace('_', ' ')}: {c.id}"))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out, pos = [], 0
    for start, end, cls, title in spans:
        if start < pos or end > len(text) or start >= end:
            continue
        if start > pos:
            out.append({"text": text[pos:start]})
        out.append({"text": text[start:end], "cls": cls, "title": title})
        pos = end
    if pos < len(text):
        out.append({"text": text[pos:]})
    return out


_DIFF_MARK = re.compile(r"\[-(.*?)-\]|\{\+(.*?)\+\}", re.S)


def diff_segments(diff: str) -> list[dict]:
    """The `[-removed-]` / `{+added+}` marks of search.precedents.word_diff as equal/del/ins runs (the template escapes each)."""
    out, pos = [], 0
    for m in _DIFF_MARK.finditer(diff or ""):
        if m.start() > pos:
            out.append({"op": "equal", "text": diff[pos:m.start()]})
        out.append({"op": "del", "text": m.group(1)} if m.group(1) is not None else {"op": "ins", "text": m.group(2)})
        pos = m.end()
    if pos < len(diff or ""):
        out.append({"op": "equal", "text": diff[pos:]})
    return out


def qpath(s: str) -> str:
    """An id as one URL path segment ('/' '#' '@' encoded)."""
    return quote(s, safe="")


# -- the app ----------------------------------------------------------------------------


def create_app(settings: Optional[Settings] = None, backend: Optional[Backend] = None, warm: bool = False) -> FastAPI:
    """Build the app on a store (the default one under UNKG_HOME unless a backend is given)."""
    from unkg.settings import Settings as _S

    settings = settings or _S.from_env()
    backend = backend or Backend(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if warm:  # index the corpus and build the graph in the background so the first search is quick
            threading.Thread(target=_warm, args=(backend,), daemon=True, name="unkg-warm").start()
        yield

    app = FastAPI(
        title="unkg",
        version=__version__,
        description=("Search, read and explore UN decisions: paragraphs in six languages, the mandates they give, "
                     "and the knowledge graph built from them. Every page of the web UI has a JSON twin here. "
                     "Write endpoints need the server's API key (UNKG_API_KEY) in the X-API-Key header. "
                     "Every error is `{\"error\": {\"status\", \"code\", \"message\"}}`."),
        lifespan=lifespan,
        docs_url=None,  # served below from the npm-installed swagger-ui, not from a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.backend = backend
    app.add_middleware(RateLimitMiddleware, bucket=TokenBucket(settings.rate_limit, settings.rate_burst),
                       trusted_proxies=settings.trusted_proxies)

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html", "xml"], default=True))
    env.filters["q"] = qpath
    env.globals.update(text_dir=text_dir, urlencode=urlencode)

    def page(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        tmpl = env.get_template(name)
        # links back to this page are same-origin paths: `//evil.example/x` must not become a link to another site
        path = "/" + request.url.path.lstrip("/\\")
        html = tmpl.render(request=request, path=path, **ctx)
        return HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)

    def wants_json(request: Request) -> bool:
        if request.url.path.startswith("/api/") or request.query_params.get("format") == "json":
            return True
        return "text/html" not in request.headers.get("accept", "")  # browsers ask for HTML; scripts get JSON

    # -- errors: one shape ------------------------------------------------------------

    def error_response(request: Request, status: int, code: str, message: str, headers: Optional[dict] = None) -> Response:
        if wants_json(request) or request.method != "GET":
            return JSONResponse(error_body(status, code, message), status_code=status, headers=headers)
        return page(request, "error.html", status=status, error=error_body(status, code, message)["error"])

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

    # -- static files (our own and the npm-installed graph library) ----------------------

    @app.get("/static/vendor/{name}", include_in_schema=False)
    def vendor(name: str):
        p = vendor_file(name) if name in VENDOR else None
        if p is None:
            raise NotFound(f"{name} is not installed: run `npm ci` in the repository root (the setup step does)")
        return FileResponse(p, media_type="text/css" if name.endswith(".css") else "text/javascript")

    @app.get("/docs", include_in_schema=False)
    def openapi_page():
        """The OpenAPI page, with swagger-ui served by this app."""
        return get_swagger_ui_html(openapi_url="/openapi.json", title="unkg API",
                                   swagger_js_url="/static/vendor/swagger-ui-bundle.js",
                                   swagger_css_url="/static/vendor/swagger-ui.css", swagger_favicon_url="/static/favicon.svg",
                                   swagger_ui_parameters={"validatorUrl": None})  # no call to validator.swagger.io

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    # -- search ------------------------------------------------------------------------

    def run_search(q: str, language: Optional[str], body: Optional[str], session: Optional[str], kind: Optional[str],
                   doc_type: Optional[str], actor: Optional[str], verb: Optional[str], mode: str, k: int) -> M.SearchResponse:
        filters = {"language": language, "body": body, "session": session, "kind": kind, "doc_type": doc_type,
                   "actor": actor, "verb": verb}
        filters = {key: (v.strip() if isinstance(v, str) else v) or None for key, v in filters.items()}
        if mode not in ("hybrid", "dense", "lexical"):
            raise BadRequest(f"unknown mode {mode!r}: use hybrid, dense or lexical")
        if not q.strip():
            return M.SearchResponse(query=q, filters=filters, mode=mode, count=0, hits=[])
        terms = query_terms(q)
        hits = backend.search(q, filters, top_k=k, mode=mode)
        out = [M.SearchHit(**{**h, "terms": terms}) for h in hits]
        return M.SearchResponse(query=q, filters=filters, mode=mode, count=len(out), hits=out)

    search_params = dict(
        language=Query(None, description="paragraph language (en, fr, es, ru, zh, ar)", max_length=8),
        body=Query(None, description="body or organ, e.g. UNCCD", max_length=200),
        session=Query(None, max_length=50),
        kind=Query(None, description="paragraph kind: operative, preambular, text, heading ...", max_length=20),
        doc_type=Query(None, max_length=50),
        actor=Query(None, description="an actor named or addressed in the paragraph", max_length=200),
        verb=Query(None, description="operative verb (as printed or its English form)", max_length=50),
    )

    @app.get("/api/search", summary="Search paragraphs in any language", response_model=M.SearchResponse, responses=ERROR_RESPONSES, tags=["search"])
    def api_search(q: str = Query(..., max_length=800, description="the query, in any UN language; \"quoted phrases\" are exact"),
                   language: Optional[str] = search_params["language"], body: Optional[str] = search_params["body"],
                   session: Optional[str] = search_params["session"], kind: Optional[str] = search_params["kind"],
                   doc_type: Optional[str] = search_params["doc_type"], actor: Optional[str] = search_params["actor"],
                   verb: Optional[str] = search_params["verb"], mode: str = Query("hybrid", pattern="^(hybrid|dense|lexical)$"),
                   k: int = Query(10, ge=1, le=100)):
        """Hybrid multilingual search over paragraphs; each hit has its citation and its translations."""
        return run_search(q, language, body, session, kind, doc_type, actor, verb, mode, k)

    @app.get("/", include_in_schema=False)
    def search_page(request: Request, q: str = Query("", max_length=800),
                    language: Optional[str] = search_params["language"], body: Optional[str] = search_params["body"],
                    session: Optional[str] = search_params["session"], kind: Optional[str] = search_params["kind"],
                    doc_type: Optional[str] = search_params["doc_type"], actor: Optional[str] = search_params["actor"],
                    verb: Optional[str] = search_params["verb"], mode: str = Query("hybrid", pattern="^(hybrid|dense|lexical)$"),
                    k: int = Query(10, ge=1, le=100), format: Optional[str] = Query(None, pattern="^(json|html)$")):
        res = run_search(q, language, body, session, kind, doc_type, actor, verb, mode, k)
        if format == "json":
            return JSONResponse(res.model_dump())
        hits = [{"hit": h, "segs": highlight(h.text, h.terms)} for h in res.hits]
        return page(request, "search.html", res=res, hits=hits, facets=backend.facets(), highlight=highlight,
                    counts=backend.counts())

    # -- documents ---------------------------------------------------------------------

    def list_documents() -> M.DocumentList:
        docs = backend.documents()
        return M.DocumentList(count=len(docs), documents=[M.DocumentSummary(**d) for d in docs])

    @app.get("/api/documents", summary="List documents", response_model=M.DocumentList, responses=ERROR_RESPONSES, tags=["documents"])
    def api_documents():
        """Every stored document with its paragraph and mandate counts."""
        return list_documents()

    @app.get("/documents", include_in_schema=False)
    def documents_page(request: Request, format: Optional[str] = Query(None, pattern="^(json|html)$")):
        res = list_documents()
        if format == "json":
            return JSONResponse(res.model_dump())
        return page(request, "documents.html", res=res)

    def doc_names(doc) -> dict[str, str]:
        names = dict(backend.entity_names())
        for blk in doc.blocks:
            for e in blk.entities:
                names.setdefault(e.id, e.name)
        return names

    def paragraph_out(doc, b, cites: dict[str, str], names: dict[str, str], eids: Optional[dict[str, str]] = None) -> M.ParagraphOut:
        mandates = [M.MandateOut(**m.model_dump(), addressee_names=[actor_name(a, names) for a in m.addressees]) for m in b.mandates]
        return M.ParagraphOut(
            id=b.id, anchor=f"p-{b.ord}", ord=b.ord, kind=b.kind, zone=b.zone, label=b.label, level=b.level, parent=b.parent,
            page=b.page, language=b.language or doc.language, dir=text_dir(b.language or doc.language), text=b.text,
            verb=b.verb, translation_of=b.translation_of, citation=cites.get(b.id) or b.id,
            eid=(eids or {}).get(b.id), permalink=permalink(doc.id, (eids or {}).get(b.id)),
            entities=[M.EntityOut(**e.model_dump(include={"type", "text", "start", "end", "id", "name"})) for e in b.entities],
            citations=[M.CitationOut(**c.model_dump()) for c in b.citations], mandates=mandates,
        )

    def view_document(doc_id: str) -> M.DocumentView:
        doc = backend.document(doc_id)
        cites, eids = backend.citations(doc.id), backend.element_ids(doc.id)
        names = doc_names(doc)
        actors: dict[str, dict] = {}
        initiatives: dict[str, dict] = {}
        for b in doc.blocks:
            for e in b.entities:
                bucket = actors if e.type in ("actor", "country") else initiatives if e.type == "initiative" else None
                if bucket is not None:
                    item = bucket.setdefault(e.id, {"id": e.id, "name": e.name, "type": e.type, "mentions": 0, "first": f"p-{b.ord}"})
                    item["mentions"] += 1
        return M.DocumentView(
            **doc.model_dump(include=set(DocumentMeta.model_fields)),
            dir=text_dir(doc.language),
            actors=sorted(actors.values(), key=lambda a: (-a["mentions"], a["name"])),
            initiatives=sorted(initiatives.values(), key=lambda a: (-a["mentions"], a["name"])),
            paragraphs=[paragraph_out(doc, b, cites, names, eids) for b in doc.blocks],
        )

    @app.get("/api/documents/{doc_id:path}", summary="One document with its paragraphs and annotations", response_model=M.DocumentView, responses=ERROR_RESPONSES, tags=["documents"])
    def api_document(doc_id: str):
        """One document: metadata, paragraphs (with anchors), and the mandates, actors, initiatives and citations extracted."""
        return view_document(doc_id)

    @app.get("/documents/{doc_id:path}", include_in_schema=False)
    def document_page(request: Request, doc_id: str, format: Optional[str] = Query(None, pattern="^(json|html)$")):
        res = view_document(doc_id)
        if format == "json":
            return JSONResponse(res.model_dump())
        paras = [{"p": p, "segs": marked(p.text, p.entities, p.citations)} for p in res.paragraphs]
        return page(request, "document.html", doc=res, paras=paras)

    def view_paragraph(pid: str) -> M.ParagraphView:
        doc, b = backend.paragraph(pid)
        summary = next(d for d in backend.documents() if d["id"] == doc.id)
        return M.ParagraphView(document=M.DocumentSummary(**summary), paragraph=paragraph_out(doc, b, backend.citations(doc.id), doc_names(doc),
                                                                                                backend.element_ids(doc.id)),
                               url=f"/documents/{qpath(doc.id)}#p-{b.ord}")

    @app.get("/api/paragraphs/{pid:path}", summary="One paragraph with its citation", response_model=M.ParagraphView, responses=ERROR_RESPONSES, tags=["documents"])
    def api_paragraph(pid: str):
        """One paragraph with its citation, annotations and a link to it in its document."""
        return view_paragraph(pid)

    @app.get("/paragraphs/{pid:path}", include_in_schema=False)
    def paragraph_page(request: Request, pid: str, format: Optional[str] = Query(None, pattern="^(json|html)$")):
        res = view_paragraph(pid)
        if format == "json":
            return JSONResponse(res.model_dump())
        p = res.paragraph
        return page(request, "paragraph.html", res=res, segs=marked(p.text, p.entities, p.citations))

    @app.get("/eli/{ref:path}", include_in_schema=False)
    def permalink_page(request: Request, ref: str, format: Optional[str] = Query(None, pattern="^(json|html)$")):
        """A paragraph by its permanent link: /eli/<document id>/<element id> (the paragraph page, or its JSON)."""
        doc_id, _, eid = ref.rpartition("/")
        pid = backend.block_by_eid(doc_id, eid) if doc_id and eid else None
        if pid is None:
            raise NotFound(f"no paragraph {eid!r} in document {doc_id!r}; permanent links look like /eli/<document id>/para_2__subpara_a")
        return paragraph_page(request, pid, format)

    # -- precedents ----------------------------------------------------------------------

    precedent_params = dict(
        paragraph=Query(None, max_length=400, description="a paragraph id: precedents older than it"),
        text=Query(None, max_length=4000, description="pasted paragraph text: precedents anywhere in the store"),
        any_language=Query(False, description="also paragraphs in other languages than the query's"),
        min_similarity=Query(0.6, ge=0.0, le=1.0, description="word-level similarity a precedent must reach (0..1)"),
        limit=Query(20, ge=1, le=100),
    )

    def list_precedents(paragraph: Optional[str], text: Optional[str], any_language: bool, min_similarity: float,
                        limit: int) -> M.PrecedentList:
        paragraph = (paragraph or "").strip() or None
        text = None if paragraph else (text or "").strip() or None
        if not paragraph and not text:
            raise BadRequest("give a paragraph id (`paragraph`) or paste a paragraph (`text`) to find its precedents")
        query, lang, found = backend.precedents(paragraph, text, min_similarity, limit, same_language=not any_language)
        out = [M.PrecedentOut(**p.as_dict(), dir=text_dir(p.language), segments=diff_segments(p.diff),
                              url=f"/paragraphs/{qpath(p.paragraph_id)}") for p in found]
        return M.PrecedentList(paragraph_id=paragraph, text=query, language=lang, dir=text_dir(lang), same_language=not any_language,
                               min_similarity=min_similarity, count=len(out), precedents=out)

    @app.get("/api/precedents", summary="Earlier paragraphs worded the same or nearly the same", response_model=M.PrecedentList,
             responses=ERROR_RESPONSES, tags=["search"])
    def api_precedents(paragraph: Optional[str] = precedent_params["paragraph"], text: Optional[str] = precedent_params["text"],
                       any_language: bool = precedent_params["any_language"], min_similarity: float = precedent_params["min_similarity"],
                       limit: int = precedent_params["limit"]):
        """Precedents of a paragraph (by id: older ones) or of pasted text (any date), oldest first, each with the word diff
        from the precedent to the query text (`[-removed-]` `{+added+}`, and as `ops` and `segments`)."""
        return list_precedents(paragraph, text, any_language, min_similarity, limit)

    @app.get("/precedents", include_in_schema=False)
    def precedents_page(request: Request, paragraph: Optional[str] = precedent_params["paragraph"],
                        text: Optional[str] = precedent_params["text"], any_language: bool = precedent_params["any_language"],
                        min_similarity: float = precedent_params["min_similarity"], limit: int = precedent_params["limit"],
                        format: Optional[str] = Query(None, pattern="^(json|html)$")):
        asked = bool((paragraph or "").strip() or (text or "").strip())
        if format == "json":
            return JSONResponse(list_precedents(paragraph, text, any_language, min_similarity, limit).model_dump())
        res = list_precedents(paragraph, text, any_language, min_similarity, limit) if asked else None
        query_cite = None
        if res is not None and res.paragraph_id:
            query_cite = view_paragraph(res.paragraph_id).paragraph.citation
        return page(request, "precedents.html", res=res, query_cite=query_cite, form={
            "paragraph": paragraph or "", "text": text or "", "any_language": any_language, "min_similarity": min_similarity})

    # -- upload page (the upload itself is POST /api/ingest, with the key in a header) -------

    def upload_info() -> M.UploadInfo:
        from unkg.ingest.backends import supported_extensions

        return M.UploadInfo(endpoint="/api/ingest", writes_enabled=bool(settings.api_key), max_mb=settings.upload_max_mb,
                            formats=sorted(supported_extensions()))

    @app.get("/upload", include_in_schema=False)
    def upload_page(request: Request, format: Optional[str] = Query(None, pattern="^(json|html)$")):
        info = upload_info()
        if format == "json":
            return JSONResponse(info.model_dump())
        return page(request, "upload.html", info=info)

    # -- watch lists --------------------------------------------------------------------

    def list_watches() -> M.WatchList:
        rows = backend.watch_reports()
        return M.WatchList(count=len(rows), watches=[M.WatchReport(**r) for r in rows])

    @app.get("/api/watch", summary="Watch lists: what is new", response_model=M.WatchList, responses=ERROR_RESPONSES, tags=["mandates"])
    def api_watch():
        """Each watch (added with `unkg watch add`) and what is new since it was last marked seen; reading marks nothing."""
        return list_watches()

    @app.get("/watch", include_in_schema=False)
    def watch_page(request: Request, format: Optional[str] = Query(None, pattern="^(json|html)$")):
        res = list_watches()
        if format == "json":
            return JSONResponse(res.model_dump())
        return page(request, "watch.html", res=res)

    # -- mandates ------------------------------------------------------------------------

    mandate_params = dict(
        addressee=Query(None, description="who is asked to act (part of the name or id, e.g. secretariat)", max_length=200),
        decision=Query(None, description="decision number, e.g. 22/COP.15", max_length=100),
        session=Query(None, description="session, e.g. COP.15", max_length=50),
        verb=Query(None, description="verb as printed or its English form (requests, invites ...)", max_length=50),
        language=Query(None, max_length=8),
        document=Query(None, description="a document id", max_length=300),
        status=Query(None, description="open, reported on, implemented, superseded or elapsed", max_length=20),
    )

    def list_mandates(addressee, decision, session, verb, language, document, status=None) -> M.MandateList:
        rows = backend.mandates(addressee, decision, session, verb, language, document, status)
        every = backend.mandates()
        names = sorted({n for r in every for n in r["addressee_names"]})
        filters = {"addressee": addressee, "decision": decision, "session": session, "verb": verb, "language": language,
                   "document": document, "status": status}
        return M.MandateList(filters=filters, count=len(rows), mandates=[M.MandateRow(**r) for r in rows], addressees=names)

    @app.get("/api/mandates", summary="Mandates, filtered", response_model=M.MandateList, responses=ERROR_RESPONSES, tags=["mandates"])
    def api_mandates(addressee: Optional[str] = mandate_params["addressee"], decision: Optional[str] = mandate_params["decision"],
                     session: Optional[str] = mandate_params["session"], verb: Optional[str] = mandate_params["verb"],
                     language: Optional[str] = mandate_params["language"], document: Optional[str] = mandate_params["document"],
                     status: Optional[str] = mandate_params["status"]):
        """Mandates from the store's paragraph annotations: who is asked to do what, in which decision and paragraph,
        and what became of it (status, the rule that gave it, and the paragraphs it rests on)."""
        return list_mandates(addressee, decision, session, verb, language, document, status)

    @app.get("/api/mandates.csv", summary="Mandates as CSV", response_class=PlainTextResponse, responses={**ERROR_RESPONSES, 200: {"content": {"text/csv": {}}}},
             tags=["mandates"])
    def api_mandates_csv(addressee: Optional[str] = mandate_params["addressee"], decision: Optional[str] = mandate_params["decision"],
                         session: Optional[str] = mandate_params["session"], verb: Optional[str] = mandate_params["verb"],
                         language: Optional[str] = mandate_params["language"], document: Optional[str] = mandate_params["document"],
                         status: Optional[str] = mandate_params["status"]):
        """The same mandates as CSV (UTF-8), for a spreadsheet."""
        rows = backend.mandates(addressee, decision, session, verb, language, document, status)
        return Response("\ufeff" + backend.mandates_csv(rows), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="mandates.csv"'})

    @app.get("/mandates", include_in_schema=False)
    def mandates_page(request: Request, addressee: Optional[str] = mandate_params["addressee"],
                      decision: Optional[str] = mandate_params["decision"], session: Optional[str] = mandate_params["session"],
                      verb: Optional[str] = mandate_params["verb"], language: Optional[str] = mandate_params["language"],
                      document: Optional[str] = mandate_params["document"], status: Optional[str] = mandate_params["status"],
                      format: Optional[str] = Query(None, pattern="^(json|html|csv)$")):
        if format == "csv":
            return api_mandates_csv(addressee, decision, session, verb, language, document, status)
        res = list_mandates(addressee, decision, session, verb, language, document, status)
        if format == "json":
            return JSONResponse(res.model_dump())
        qs = urlencode({k: v for k, v in res.filters.items() if v})
        return page(request, "mandates.html", res=res, csv_url="/api/mandates.csv" + (f"?{qs}" if qs else ""), statuses=STATUSES)

    # -- graph ---------------------------------------------------------------------------

    def costly(request: Request):
        """Dependency of the graph endpoints: a few at a time per client and overall (429 / 503 beyond)."""
        client = request.scope.get("state", {}).get("client_address") or (request.client.host if request.client else "unknown")
        with expensive.lock:
            if expensive.total >= expensive.max_total:
                raise ApiError(503, "busy", "the server is busy with graph requests; try again in a few seconds", {"Retry-After": "2"})
            if expensive.by_client.get(client, 0) >= expensive.per_client:
                raise ApiError(429, "too_many_graph_requests",
                               f"at most {expensive.per_client} graph requests at a time per client; wait for one to finish",
                               {"Retry-After": "1"})
            expensive.by_client[client] = expensive.by_client.get(client, 0) + 1
            expensive.total += 1
        try:
            yield
        finally:
            with expensive.lock:
                expensive.total -= 1
                left = expensive.by_client.get(client, 1) - 1
                if left <= 0:
                    expensive.by_client.pop(client, None)
                else:
                    expensive.by_client[client] = left

    expensive = ExpensiveSlots()
    app.state.expensive = expensive

    @app.get("/api/graph/nodes", summary="Find graph nodes by name", response_model=M.NodeList, responses=ERROR_RESPONSES, tags=["graph"], dependencies=[Depends(costly)])
    def api_graph_nodes(q: str = Query(..., min_length=1, max_length=200, description="part of a node's name, alias or id"),
                        label: Optional[str] = Query(None, max_length=30, description="Initiative, Actor, Decision, Document ..."),
                        limit: int = Query(20, ge=1, le=200)):
        """Find graph nodes by name (paragraph nodes only when `label=Paragraph`)."""
        nodes = find_nodes(backend.graph(), q, label, limit)
        return M.NodeList(query=q, count=len(nodes), nodes=[M.GraphNode(**n) for n in nodes])

    @app.get("/api/graph/neighbourhood", summary="A node and its neighbours", response_model=M.Neighbourhood, responses=ERROR_RESPONSES, tags=["graph"], dependencies=[Depends(costly)])
    def api_graph_neighbourhood(node: str = Query(..., max_length=400, description="node id, e.g. initiative:changwon-initiative"),
                                depth: int = Query(1, ge=1, le=3), limit: int = Query(60, ge=1, le=500),
                                types: Optional[str] = Query(None, max_length=300, description="comma-separated relationship types")):
        """A node, its neighbours and the edges between them; each edge names the paragraph it came from."""
        t = {x.strip().upper() for x in types.split(",") if x.strip()} if types else None
        return neighbourhood(backend.graph(), node, depth, limit, t)

    @app.get("/api/graph/path", summary="Shortest explained path between two nodes", response_model=M.GraphPath, responses=ERROR_RESPONSES, tags=["graph"], dependencies=[Depends(costly)])
    def api_graph_path(source: str = Query(..., max_length=400), target: str = Query(..., max_length=400),
                       max_len: int = Query(MAX_PATH_STEPS, ge=1, le=20)):
        """The shortest path between two nodes (edges followed in either direction), with each edge's paragraph."""
        return shortest_path(backend.graph(), source, target, max_len)

    @app.get("/graph", include_in_schema=False)
    def graph_page(request: Request, node: Optional[str] = Query(None, max_length=400),
                   from_: Optional[str] = Query(None, alias="from", max_length=400), to: Optional[str] = Query(None, max_length=400),
                   format: Optional[str] = Query(None, pattern="^(json|html)$")):
        from_, to = (from_ or "").strip(), (to or "").strip()
        if format == "json":
            if from_ and to:  # the path the page draws
                return JSONResponse(shortest_path(backend.graph(), from_, to, MAX_PATH_STEPS))
            if node:
                return JSONResponse(neighbourhood(backend.graph(), node))
            kg = backend.graph()
            starts = [n for n, a in kg.g.nodes(data=True) if a.get("label") in ("Initiative", "Decision", "Actor")]
            starts.sort(key=lambda n: -kg.g.degree(n))
            from .data import graph_node_json

            nodes = [graph_node_json(kg.g, n) for n in starts[:50]]
            return JSONResponse({"query": "", "count": len(nodes), "nodes": nodes})
        return page(request, "graph.html", node=node or "", path_from=from_, path_to=to,
                    has_lib=vendor_file("cytoscape.min.js") is not None)

    # -- writes --------------------------------------------------------------------------

    @app.post("/api/ingest", summary="Upload and ingest files (API key)", response_model=M.IngestResponse, responses=WRITE_RESPONSES, tags=["write"],
              dependencies=[Depends(require_api_key)],
              openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                  "type": "object", "required": ["files"],
                  "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}}}})
    async def api_ingest(request: Request, replace: bool = Query(False, description="let an upload replace a document already stored "
                                                                            "from another file under the same symbol and language")):
        """Upload files (multipart field `files`) and ingest them. Stored under their SHA-256, never under the client's name."""
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
            data = await up.read(limit + 1)
            if len(data) > limit:
                raise too_large
            sha, path = await run_in_threadpool(backend.save_upload, data, up.filename)
            saved.append((up.filename or "", sha, path, len(data)))
        reports = await run_in_threadpool(backend.ingest, sorted({p for _, _, p, _ in saved}), replace)
        by_path = {str(Path(r["path"]).resolve()): r for r in reports}
        files = []
        for name, sha, path, size in saved:
            r = by_path.get(str(path.resolve()), {"status": "failed", "reason": "not ingested", "code": "error"})
            files.append(M.FileOutcome(file=name[:300], stored_as=path.name, size=size, status=r["status"],
                                       reason=str(r.get("reason") or "").replace(str(path.parent) + "/", ""),
                                       code=r.get("code") or "", doc_id=r.get("doc_id"), symbol=r.get("symbol"),
                                       language=r.get("language"), paragraphs=r.get("paragraphs") or 0))
        return M.IngestResponse(count=len(files), files=files)

    @app.post("/api/graph/sync", summary="Update graph and search index, optionally Neo4j (API key)", response_model=M.SyncResponse, responses=WRITE_RESPONSES, tags=["write"],
              dependencies=[Depends(require_api_key)])
    def api_graph_sync(neo4j: bool = Query(False, description="also send the changes to the graph server named by NEO4J_URI")):
        """Bring the graph and the search index up to date with the store (incremental); optionally sync Neo4j."""
        try:
            return backend.sync_graph(neo4j=neo4j)
        except GraphError as exc:
            if neo4j and "NEO4J_URI" in str(exc):
                raise BadRequest(str(exc)) from None
            raise

    @app.get("/api/health", summary="Server status and store counts", tags=["meta"])
    def api_health() -> dict:
        """Store counts; the server is up."""
        return {"ok": True, **backend.counts(), "writes_enabled": bool(settings.api_key)}

    return app


class ExpensiveSlots:
    """Graph requests in flight, per client and in all (the per-client budget of the graph endpoints)."""

    def __init__(self, per_client: int = 2, max_total: int = 8) -> None:
        self.per_client = per_client
        self.max_total = max_total
        self.total = 0
        self.by_client: dict[str, int] = {}
        self.lock = threading.Lock()


def _warm(backend: Backend) -> None:
    try:
        backend.sync_graph()
    except Exception:  # noqa: BLE001 - warming is best effort; the first request retries and reports
        log.exception("warming the graph and search index failed")
