"""Search and precedents: the search page, `/api/search`, the precedents page and `/api/precedents`."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from unkg.graph.mandates import text_dir

from .. import schemas as M
from ..context import WebContext, web
from ..data import BadRequest
from ..errors import ERROR_RESPONSES
from ..text import diff_segments, highlight, qpath, query_terms
from .documents import view_paragraph

router = APIRouter()

FORMAT = Query(None, pattern="^(json|html)$")
MODE = Query("hybrid", pattern="^(hybrid|dense|lexical)$")
LANGUAGE = Query(None, description="paragraph language (en, fr, es, ru, zh, ar)", max_length=8)
BODY = Query(None, description="body or organ, e.g. UNCCD", max_length=200)
SESSION = Query(None, max_length=50)
KIND = Query(None, description="paragraph kind: operative, preambular, text, heading ...", max_length=20)
DOC_TYPE = Query(None, max_length=50)
ACTOR = Query(None, description="an actor named or addressed in the paragraph", max_length=200)
VERB = Query(None, description="operative verb (as printed or its English form)", max_length=50)
K = Query(10, ge=1, le=100)


def run_search(ctx: WebContext, q: str, language: Optional[str], body: Optional[str], session: Optional[str],
               kind: Optional[str], doc_type: Optional[str], actor: Optional[str], verb: Optional[str], mode: str,
               k: int) -> M.SearchResponse:
    filters = {"language": language, "body": body, "session": session, "kind": kind, "doc_type": doc_type,
               "actor": actor, "verb": verb}
    filters = {key: (v.strip() if isinstance(v, str) else v) or None for key, v in filters.items()}
    if mode not in ("hybrid", "dense", "lexical"):
        raise BadRequest(f"unknown mode {mode!r}: use hybrid, dense or lexical")
    if not q.strip():
        return M.SearchResponse(query=q, filters=filters, mode=mode, count=0, hits=[])
    terms = query_terms(q)
    hits = ctx.data.search(q, filters, top_k=k, mode=mode)
    out = [M.SearchHit(**{**h, "terms": terms}) for h in hits]
    return M.SearchResponse(query=q, filters=filters, mode=mode, count=len(out), hits=out)


@router.get("/api/search", summary="Search paragraphs in any language", response_model=M.SearchResponse, responses=ERROR_RESPONSES, tags=["search"])
def api_search(q: str = Query(..., max_length=800, description="the query, in any UN language; \"quoted phrases\" are exact"),
               language: Optional[str] = LANGUAGE, body: Optional[str] = BODY, session: Optional[str] = SESSION,
               kind: Optional[str] = KIND, doc_type: Optional[str] = DOC_TYPE, actor: Optional[str] = ACTOR,
               verb: Optional[str] = VERB, mode: str = MODE, k: int = K, ctx: WebContext = Depends(web)):
    """Hybrid multilingual search over paragraphs; each hit has its citation and its translations."""
    return run_search(ctx, q, language, body, session, kind, doc_type, actor, verb, mode, k)


@router.get("/", include_in_schema=False)
def search_page(request: Request, q: str = Query("", max_length=800),
                language: Optional[str] = LANGUAGE, body: Optional[str] = BODY, session: Optional[str] = SESSION,
                kind: Optional[str] = KIND, doc_type: Optional[str] = DOC_TYPE, actor: Optional[str] = ACTOR,
                verb: Optional[str] = VERB, mode: str = MODE, k: int = K, format: Optional[str] = FORMAT,
                ctx: WebContext = Depends(web)):
    res = run_search(ctx, q, language, body, session, kind, doc_type, actor, verb, mode, k)
    if format == "json":
        return JSONResponse(res.model_dump())
    hits = [{"hit": h, "segs": highlight(h.text, h.terms)} for h in res.hits]
    return ctx.page(request, "search.html", res=res, hits=hits, facets=ctx.data.facets(), highlight=highlight,
                    counts=ctx.data.counts())


# -- precedents ----------------------------------------------------------------------

PARAGRAPH = Query(None, max_length=400, description="a paragraph id: precedents older than it")
TEXT = Query(None, max_length=4000, description="pasted paragraph text: precedents anywhere in the store")
ANY_LANGUAGE = Query(False, description="also paragraphs in other languages than the query's")
MIN_SIMILARITY = Query(0.6, ge=0.0, le=1.0, description="word-level similarity a precedent must reach (0..1)")
LIMIT = Query(20, ge=1, le=100)


def list_precedents(ctx: WebContext, paragraph: Optional[str], text: Optional[str], any_language: bool,
                    min_similarity: float, limit: int) -> M.PrecedentList:
    paragraph = (paragraph or "").strip() or None
    text = None if paragraph else (text or "").strip() or None
    if not paragraph and not text:
        raise BadRequest("give a paragraph id (`paragraph`) or paste a paragraph (`text`) to find its precedents")
    query, lang, found = ctx.data.precedents(paragraph, text, min_similarity, limit, same_language=not any_language)
    out = [M.PrecedentOut(**p.as_dict(), dir=text_dir(p.language), segments=diff_segments(p.diff),
                          url=f"/paragraphs/{qpath(p.paragraph_id)}") for p in found]
    return M.PrecedentList(paragraph_id=paragraph, text=query, language=lang, dir=text_dir(lang), same_language=not any_language,
                           min_similarity=min_similarity, count=len(out), precedents=out)


@router.get("/api/precedents", summary="Earlier paragraphs worded the same or nearly the same", response_model=M.PrecedentList,
            responses=ERROR_RESPONSES, tags=["search"])
def api_precedents(paragraph: Optional[str] = PARAGRAPH, text: Optional[str] = TEXT, any_language: bool = ANY_LANGUAGE,
                   min_similarity: float = MIN_SIMILARITY, limit: int = LIMIT, ctx: WebContext = Depends(web)):
    """Precedents of a paragraph (by id: older ones) or of pasted text (any date), oldest first, each with the word diff
    from the precedent to the query text (`[-removed-]` `{+added+}`, and as `ops` and `segments`)."""
    return list_precedents(ctx, paragraph, text, any_language, min_similarity, limit)


@router.get("/precedents", include_in_schema=False)
def precedents_page(request: Request, paragraph: Optional[str] = PARAGRAPH, text: Optional[str] = TEXT,
                    any_language: bool = ANY_LANGUAGE, min_similarity: float = MIN_SIMILARITY, limit: int = LIMIT,
                    format: Optional[str] = FORMAT, ctx: WebContext = Depends(web)):
    asked = bool((paragraph or "").strip() or (text or "").strip())
    if format == "json":
        return JSONResponse(list_precedents(ctx, paragraph, text, any_language, min_similarity, limit).model_dump())
    res = list_precedents(ctx, paragraph, text, any_language, min_similarity, limit) if asked else None
    query_cite = None
    if res is not None and res.paragraph_id:
        query_cite = view_paragraph(ctx, res.paragraph_id).paragraph.citation
    return ctx.page(request, "precedents.html", res=res, query_cite=query_cite, form={
        "paragraph": paragraph or "", "text": text or "", "any_language": any_language, "min_similarity": min_similarity})
