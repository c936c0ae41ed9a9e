"""Mandates and watch lists: the mandates page, `/api/mandates` and its CSV, the watch page."""

from __future__ import annotations

from typing import Optional
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from unkg.graph.lifecycle import STATUSES

from .. import schemas as M
from ..context import WebContext, web
from ..errors import ERROR_RESPONSES

router = APIRouter()

ADDRESSEE = Query(None, description="who is asked to act (part of the name or id, e.g. secretariat)", max_length=200)
DECISION = Query(None, description="decision number, e.g. 22/COP.15", max_length=100)
SESSION = Query(None, description="session, e.g. COP.15", max_length=50)
VERB = Query(None, description="verb as printed or its English form (requests, invites ...)", max_length=50)
LANGUAGE = Query(None, max_length=8)
DOCUMENT = Query(None, description="a document id", max_length=300)
STATUS = Query(None, description="open, reported on, implemented, superseded or elapsed", max_length=20)


def list_mandates(ctx: WebContext, addressee, decision, session, verb, language, document, status=None) -> M.MandateList:
    data = ctx.data
    rows = data.mandates(addressee, decision, session, verb, language, document, status)
    every = data.mandates()
    names = sorted({n for r in every for n in r["addressee_names"]})
    filters = {"addressee": addressee, "decision": decision, "session": session, "verb": verb, "language": language,
               "document": document, "status": status}
    return M.MandateList(filters=filters, count=len(rows), mandates=[M.MandateRow(**r) for r in rows], addressees=names)


@router.get("/api/mandates", summary="Mandates, filtered", response_model=M.MandateList, responses=ERROR_RESPONSES, tags=["mandates"])
def api_mandates(addressee: Optional[str] = ADDRESSEE, decision: Optional[str] = DECISION, session: Optional[str] = SESSION,
                 verb: Optional[str] = VERB, language: Optional[str] = LANGUAGE, document: Optional[str] = DOCUMENT,
                 status: Optional[str] = STATUS, ctx: WebContext = Depends(web)):
    """Mandates from the store's paragraph annotations: who is asked to do what, in which decision and paragraph,
    and what became of it (status, the rule that gave it, and the paragraphs it rests on)."""
    return list_mandates(ctx, addressee, decision, session, verb, language, document, status)


@router.get("/api/mandates.csv", summary="Mandates as CSV", response_class=PlainTextResponse,
            responses={**ERROR_RESPONSES, 200: {"content": {"text/csv": {}}}}, tags=["mandates"])
def api_mandates_csv(addressee: Optional[str] = ADDRESSEE, decision: Optional[str] = DECISION, session: Optional[str] = SESSION,
                     verb: Optional[str] = VERB, language: Optional[str] = LANGUAGE, document: Optional[str] = DOCUMENT,
                     status: Optional[str] = STATUS, ctx: WebContext = Depends(web)):
    """The same mandates as CSV (UTF-8), for a spreadsheet."""
    rows = ctx.data.mandates(addressee, decision, session, verb, language, document, status)
    return Response("\ufeff" + ctx.data.mandates_csv(rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="mandates.csv"'})


@router.get("/mandates", include_in_schema=False)
def mandates_page(request: Request, addressee: Optional[str] = ADDRESSEE, decision: Optional[str] = DECISION,
                  session: Optional[str] = SESSION, verb: Optional[str] = VERB, language: Optional[str] = LANGUAGE,
                  document: Optional[str] = DOCUMENT, status: Optional[str] = STATUS,
                  format: Optional[str] = Query(None, pattern="^(json|html|csv)$"), ctx: WebContext = Depends(web)):
    if format == "csv":
        return api_mandates_csv(addressee, decision, session, verb, language, document, status, ctx)
    res = list_mandates(ctx, addressee, decision, session, verb, language, document, status)
    if format == "json":
        return JSONResponse(res.model_dump())
    qs = urlencode({k: v for k, v in res.filters.items() if v})
    return ctx.page(request, "mandates.html", res=res, csv_url="/api/mandates.csv" + (f"?{qs}" if qs else ""), statuses=STATUSES)


# -- watch lists --------------------------------------------------------------------


def list_watches(ctx: WebContext) -> M.WatchList:
    rows = ctx.data.watch_reports()
    return M.WatchList(count=len(rows), watches=[M.WatchReport(**r) for r in rows])


@router.get("/api/watch", summary="Watch lists: what is new", response_model=M.WatchList, responses=ERROR_RESPONSES, tags=["mandates"])
def api_watch(ctx: WebContext = Depends(web)):
    """Each watch (added with `unkg watch add`) and what is new since it was last marked seen; reading marks nothing."""
    return list_watches(ctx)


@router.get("/watch", include_in_schema=False)
def watch_page(request: Request, format: Optional[str] = Query(None, pattern="^(json|html)$"), ctx: WebContext = Depends(web)):
    res = list_watches(ctx)
    if format == "json":
        return JSONResponse(res.model_dump())
    return ctx.page(request, "watch.html", res=res)
