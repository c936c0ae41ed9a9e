"""The one document model passed through every stage and stored as JSON.

A Document is a flat list of Blocks in reading order; structure lives in
`kind`, `label`, `level` and `parent`, as in docling's DoclingDocument.
Annotations (mentions, mandates, citations) point back to a block id and a
character span inside that block's text.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, Field

BlockKind = Literal["title", "heading", "preambular", "operative", "text", "footnote", "table"]
Zone = Literal["front", "toc", "body", "back", "garbled"]  # garbled: unreadable text (a broken font map), kept but not indexed
UN_LANGUAGES = ("en", "fr", "es", "ru", "zh", "ar")


class Entity(BaseModel):
    """A mention of an actor, country, initiative, target, quantity, date or document."""

    type: Literal["actor", "country", "initiative", "target", "quantity", "date", "document"]
    text: str
    start: int
    end: int
    id: str
    name: str
    value: Optional[float] = None
    unit: Optional[str] = None
    # added by extract/: quantity qualifier ("more than", "超过"), upper bound of a range
    qualifier: Optional[str] = None
    value_max: Optional[float] = None


class Citation(BaseModel):
    """A reference to another decision, resolution, document or SDG target."""

    type: Literal["decision", "resolution", "document", "sdg_target", "sdg_goal", "sdg_indicator"]
    id: str
    text: str
    start: int
    end: int


class Mandate(BaseModel):
    """Who is asked to do what, by when."""

    verb: str
    verb_en: str
    force: str
    addressees: list[str] = Field(default_factory=list)
    action: str = ""
    deadline: Optional[str] = None
    decision: Optional[str] = None
    # added by extract/: issuing body, condition ("subject to available resources"), the
    # deadline as printed, the clause span in the block, and the chapeau block it inherits from
    issuer: Optional[str] = None
    condition: Optional[str] = None
    deadline_text: Optional[str] = None
    start: Optional[int] = None
    end: Optional[int] = None
    chapeau: Optional[str] = None
    # added for reports, plans and declarations: request, recommendation, obligation, permission,
    # commitment, reported_request, decision or statement; who asked; the session that asked
    modality: Optional[str] = None
    requester: Optional[str] = None
    session: Optional[str] = None


def printed_text(label: Optional[str], label_sep: Optional[str], text: str) -> str:
    """A paragraph as printed: its label, the separator the source used (a tab prints as a space), its text."""
    if not label:
        return text
    sep = " " if label_sep is None else label_sep.replace("\t", " ")
    return f"{label}{sep}{text}"


class Block(BaseModel):
    """One paragraph-like unit with its place in the document."""

    id: str
    ord: int
    kind: BlockKind
    zone: Zone = "body"
    label: Optional[str] = None
    label_sep: Optional[str] = None  # what was printed between label and text ("" in "D.审议", "\t" in "1.\tDecides")
    level: int = 0
    parent: Optional[str] = None
    page: Optional[int] = None
    text: str
    language: Optional[str] = None
    verb: Optional[str] = None
    translation_of: Optional[str] = None
    entities: list[Entity] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    mandates: list[Mandate] = Field(default_factory=list)

    def printed(self) -> str:
        """The paragraph as printed, label included: the exact wording a negotiator quotes."""
        return printed_text(self.label, self.label_sep, self.text)


class DocumentMeta(BaseModel):
    """What is known of a document besides its text: shared by the model and the web API's views."""

    id: str
    sha256: str
    format: str
    symbol: Optional[str] = None
    title: Optional[str] = None
    date: Optional[str] = None
    language: Optional[str] = None
    languages: list[str] = Field(default_factory=list)
    body: Optional[str] = None
    session: Optional[str] = None
    agenda_item: Optional[str] = None
    doc_type: Optional[str] = None
    pages: Optional[int] = None
    warnings: list[str] = Field(default_factory=list)


class Document(DocumentMeta):
    """A parsed UN document: metadata, the path it came from, and its blocks."""

    source: str
    blocks: list[Block] = Field(default_factory=list)

    def operative(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "operative"]
