"""Documents and paragraphs: the list, one document, one paragraph, and a paragraph by its permanent link."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from unkg.corpus.citation import permalink
from unkg.graph.mandates import actor_name, text_dir
from unkg.model import DocumentMeta

from .. import schemas as M
from ..context import WebContext, web
from ..data import NotFound
from ..errors import ERROR_RESPONSES
from ..text import marked, qpath

router = APIRouter()

FORMAT = Query(None, pattern="^(json|html)$")


def list_documents(ctx: WebContext) -> M.DocumentList:
    docs = ctx.data.documents()
    return M.DocumentList(count=len(docs), documents=[M.DocumentSummary(**d) for d in docs])


def doc_names(ctx: WebContext, doc) -> dict[str, str]:
    """Display names of the entities a document mentions (the graph's names first)."""
    names = dict(ctx.data.entity_names())
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


def view_document(ctx: WebContext, doc_id: str) -> M.DocumentView:
    data = ctx.data
    doc = data.document(doc_id)
    cites, eids = data.citations(doc.id), data.element_ids(doc.id)
    names = doc_names(ctx, doc)
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


def view_paragraph(ctx: WebContext, pid: str) -> M.ParagraphView:
    data = ctx.data
    doc, b = data.paragraph(pid)
    summary = next(d for d in data.documents() if d["id"] == doc.id)
    return M.ParagraphView(document=M.DocumentSummary(**summary),
                           paragraph=paragraph_out(doc, b, data.citations(doc.id), doc_names(ctx, doc), data.element_ids(doc.id)),
                           url=f"/documents/{qpath(doc.id)}#p-{b.ord}")


@router.get("/api/documents", summary="List documents", response_model=M.DocumentList, responses=ERROR_RESPONSES, tags=["documents"])
def api_documents(ctx: WebContext = Depends(web)):
    """Every stored document with its paragraph and mandate counts."""
    return list_documents(ctx)


@router.get("/documents", include_in_schema=False)
def documents_page(request: Request, format: Optional[str] = FORMAT, ctx: WebContext = Depends(web)):
    res = list_documents(ctx)
    if format == "json":
        return JSONResponse(res.model_dump())
    return ctx.page(request, "documents.html", res=res)


@router.get("/api/documents/{doc_id:path}", summary="One document with its paragraphs and annotations", response_model=M.DocumentView,
            responses=ERROR_RESPONSES, tags=["documents"])
def api_document(doc_id: str, ctx: WebContext = Depends(web)):
    """One document: metadata, paragraphs (with anchors), and the mandates, actors, initiatives and citations extracted."""
    return view_document(ctx, doc_id)


@router.get("/documents/{doc_id:path}", include_in_schema=False)
def document_page(request: Request, doc_id: str, format: Optional[str] = FORMAT, ctx: WebContext = Depends(web)):
    res = view_document(ctx, doc_id)
    if format == "json":
        return JSONResponse(res.model_dump())
    paras = [{"p": p, "segs": marked(p.text, p.entities, p.citations)} for p in res.paragraphs]
    return ctx.page(request, "document.html", doc=res, paras=paras)


@router.get("/api/paragraphs/{pid:path}", summary="One paragraph with its citation", response_model=M.ParagraphView,
            responses=ERROR_RESPONSES, tags=["documents"])
def api_paragraph(pid: str, ctx: WebContext = Depends(web)):
    """One paragraph with its citation, annotations and a link to it in its document."""
    return view_paragraph(ctx, pid)


@router.get("/paragraphs/{pid:path}", include_in_schema=False)
def paragraph_page(request: Request, pid: str, format: Optional[str] = FORMAT, ctx: WebContext = Depends(web)):
    res = view_paragraph(ctx, pid)
    if format == "json":
        return JSONResponse(res.model_dump())
    p = res.paragraph
    return ctx.page(request, "paragraph.html", res=res, segs=marked(p.text, p.entities, p.citations))


@router.get("/eli/{ref:path}", include_in_schema=False)
def permalink_page(request: Request, ref: str, format: Optional[str] = FORMAT, ctx: WebContext = Depends(web)):
    """A paragraph by its permanent link: /eli/<document id>/<element id> (the paragraph page, or its JSON)."""
    doc_id, _, eid = ref.rpartition("/")
    pid = ctx.data.block_by_eid(doc_id, eid) if doc_id and eid else None
    if pid is None:
        raise NotFound(f"no paragraph {eid!r} in document {doc_id!r}; permanent links look like /eli/<document id>/para_2__subpara_a")
    return paragraph_page(request, pid, format, ctx)
