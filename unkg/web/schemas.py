"""Response models of the HTTP API (they are also what the HTML pages render)."""

from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, Field

from unkg.model import DocumentMeta


class ErrorDetail(BaseModel):
    status: int = Field(description="HTTP status code")
    code: str = Field(description="machine-readable reason, e.g. not_found, api_key_required, too_large, rate_limited")
    message: str = Field(description="what went wrong and what to do about it")


class ErrorResponse(BaseModel):
    """The one shape of every error the API returns."""

    error: ErrorDetail


class Translation(BaseModel):
    paragraph_id: str
    language: Optional[str] = None
    text: str
    symbol: Optional[str] = None
    citation: str
    via: str
    dir: str = "ltr"


class SearchHit(BaseModel):
    paragraph_id: str
    document_id: str
    symbol: Optional[str] = None
    title: Optional[str] = None
    citation: str
    language: Optional[str] = None
    dir: str = "ltr"
    text: str
    score: float
    kind: str = ""
    label: Optional[str] = None
    date: Optional[str] = None
    body: Optional[str] = None
    session: Optional[str] = None
    doc_type: Optional[str] = None
    exact: bool = False
    section: Optional[str] = Field(None, description="the heading of the paragraph's section, as printed")
    also_in: list[str] = Field(default_factory=list, description="citations of other paragraphs with the same text")
    translations: list[Translation] = Field(default_factory=list)
    context: dict = Field(default_factory=dict, description="the paragraph's graph neighbourhood: paragraph, document and "
                          "decision node ids, the initiatives/actors/targets/documents it links to, its mandates")
    terms: list[str] = Field(default_factory=list, description="query terms highlighted in the text")


class SearchResponse(BaseModel):
    query: str
    filters: dict[str, Optional[str]]
    mode: str
    count: int
    hits: list[SearchHit]


class DocumentSummary(BaseModel):
    id: str
    symbol: Optional[str] = None
    title: Optional[str] = None
    date: Optional[str] = None
    language: Optional[str] = None
    languages: list[str] = Field(default_factory=list)
    body: Optional[str] = None
    session: Optional[str] = None
    doc_type: Optional[str] = None
    format: str
    paragraphs: int
    mandates: int
    dir: str = "ltr"


class DocumentList(BaseModel):
    count: int
    documents: list[DocumentSummary]


class EntityOut(BaseModel):
    type: str
    text: str
    start: int
    end: int
    id: str
    name: str


class CitationOut(BaseModel):
    type: str
    id: str
    text: str
    start: int
    end: int


class MandateOut(BaseModel):
    verb: str
    verb_en: str
    force: str
    addressees: list[str] = Field(default_factory=list)
    addressee_names: list[str] = Field(default_factory=list)
    action: str = ""
    deadline: Optional[str] = None
    decision: Optional[str] = None


class ParagraphOut(BaseModel):
    id: str
    anchor: str = Field(description="the paragraph's anchor in the document page (#p-<ord>)")
    ord: int
    kind: str
    zone: str
    label: Optional[str] = None
    level: int
    parent: Optional[str] = None
    page: Optional[int] = None
    language: Optional[str] = None
    dir: str = "ltr"
    text: str
    verb: Optional[str] = None
    translation_of: Optional[str] = None
    citation: str
    eid: Optional[str] = Field(None, description="permanent element id within the document (Akoma Ntoso style: para_2__subpara_a)")
    permalink: Optional[str] = Field(None, description="stable link to the paragraph: /eli/<document id>/<eid>")
    entities: list[EntityOut] = Field(default_factory=list)
    citations: list[CitationOut] = Field(default_factory=list)
    mandates: list[MandateOut] = Field(default_factory=list)


class DocumentView(DocumentMeta):
    """A document page's data: its metadata (never the server-side source path), marks and paragraphs."""

    dir: str = "ltr"
    actors: list[dict[str, Any]] = Field(default_factory=list, description="actors named in the document, with mention counts")
    initiatives: list[dict[str, Any]] = Field(default_factory=list, description="initiatives named in the document")
    paragraphs: list[ParagraphOut]


class ParagraphView(BaseModel):
    document: DocumentSummary
    paragraph: ParagraphOut
    url: str = Field(description="the paragraph in its document page")


class EvidenceOut(BaseModel):
    paragraph_id: str
    document_id: str
    symbol: Optional[str] = None
    citation: str
    text: str
    score: float


class MandateRow(BaseModel):
    id: str
    paragraph_id: str
    document_id: str
    symbol: Optional[str] = None
    decision: Optional[str] = None
    session: Optional[str] = None
    paragraph: Optional[str] = None
    citation: str
    verb: str
    verb_en: str
    force: str
    addressees: list[str]
    addressee_names: list[str]
    action: str
    deadline: Optional[str] = None
    status: str = Field("open", description="open, reported on, implemented, superseded or elapsed")
    status_rule: str = Field("no evidence", description="the rule that gave the status")
    evidence: list[EvidenceOut] = Field(default_factory=list, description="the paragraphs the status rests on")
    language: Optional[str] = None
    dir: str = "ltr"
    text: str


class MandateList(BaseModel):
    filters: dict[str, Optional[str]]
    count: int
    mandates: list[MandateRow]
    addressees: list[str] = Field(default_factory=list, description="every addressee in the store (for the filter)")


class GraphNode(BaseModel):
    id: str
    label: str
    name: str
    degree: int
    language: Optional[str] = None
    props: dict[str, Any] = Field(default_factory=dict)


class GraphEdge(BaseModel):
    id: str
    source: str
    target: str
    type: str
    paragraph: Optional[str] = Field(None, description="the block id the edge came from (its provenance)")
    doc: Optional[str] = None
    citation: Optional[str] = None
    paragraph_text: Optional[str] = None
    evidence: Optional[str] = None


class Neighbourhood(BaseModel):
    center: str
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool


class GraphPath(BaseModel):
    source: str
    target: str
    found: bool
    nodes: list[GraphNode]
    edges: list[GraphEdge]


class NodeList(BaseModel):
    query: str
    count: int
    nodes: list[GraphNode]


class FileOutcome(BaseModel):
    file: str = Field(description="the client's file name (only echoed back, never used on disk)")
    stored_as: str = Field(description="the content hash the upload is stored under")
    size: int
    status: str
    reason: str = ""
    code: str = ""
    doc_id: Optional[str] = None
    symbol: Optional[str] = None
    language: Optional[str] = None
    paragraphs: int = 0


class IngestResponse(BaseModel):
    count: int
    files: list[FileOutcome]


class SyncResponse(BaseModel):
    graph: dict[str, Any] = Field(description="the in-process graph's build report and counts")
    search: Optional[dict[str, Any]] = Field(None, description="the search index's report")
    neo4j: Optional[dict[str, Any]] = Field(None, description="the graph server sync report (with neo4j=true)")


class WatchChange(BaseModel):
    what: str = Field(description="cites it, names it, status, evidence or matches")
    item: str
    text: str


class WatchReport(BaseModel):
    id: int
    kind: str = Field(description="decision, mandate, entity or query")
    target: str
    label: str
    seen_at: Optional[str] = None
    new: list[WatchChange] = Field(default_factory=list)


class WatchList(BaseModel):
    count: int
    watches: list[WatchReport]


class DiffSegment(BaseModel):
    op: str = Field(description="equal, del (only in the precedent) or ins (only in the query text)")
    text: str


class PrecedentOut(BaseModel):
    paragraph_id: str
    symbol: Optional[str] = None
    citation: str
    date: Optional[str] = None
    language: Optional[str] = None
    dir: str = "ltr"
    text: str
    similarity: float = Field(description="0..1, word level; 1.0 means the same words in the same order")
    identical: bool
    diff: str = Field(description="inline word diff from the precedent to the query text: [-removed-] {+added+}")
    ops: list[dict[str, Any]] = Field(default_factory=list)
    segments: list[DiffSegment] = Field(default_factory=list, description="the diff as equal/del/ins runs")
    url: str = Field(description="the precedent's paragraph page")


class PrecedentList(BaseModel):
    paragraph_id: Optional[str] = None
    text: str = Field(description="the query text: the paragraph's own text, or the text pasted")
    language: Optional[str] = None
    dir: str = "ltr"
    same_language: bool
    min_similarity: float
    count: int
    precedents: list[PrecedentOut]


class UploadInfo(BaseModel):
    endpoint: str = Field(description="where the files go: multipart POST, field `files`, key in the X-API-Key header")
    writes_enabled: bool
    max_mb: float
    formats: list[str] = Field(description="file extensions the parsers read")
