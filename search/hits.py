"""What a search result shows: the paragraph as printed, its citation, its decision, its place in the graph
and its translations. Kept apart from the ranking (search.engine, search.ranking) so a hit reads the same
whichever backend ranked it (local or Bolt).
"""

from __future__ import annotations

import bisect
import json
import re
import sqlite3
import threading
from dataclasses import asdict, dataclass, field
from typing import Optional

from unkg.corpus.identifiers import DECISION_HEADING
from unkg.corpus.search_index import SearchReads
from unkg.graph.schema import document_node_id, entity_node, normalize_decision, paragraph_node_id
from unkg.model import printed_text as model_printed_text

from .index_store import SearchIndex

_DECISION = DECISION_HEADING


@dataclass
class Translation:
    paragraph_id: str
    language: Optional[str]
    text: str
    symbol: Optional[str]
    citation: str
    via: str  # "translation_of" or "symbol+label"


@dataclass
class Hit:
    paragraph_id: str
    symbol: Optional[str]
    citation: str
    language: Optional[str]
    text: str
    score: float
    translations: list[Translation] = field(default_factory=list)
    document_id: str = ""
    title: Optional[str] = None
    kind: str = ""
    label: Optional[str] = None
    date: Optional[str] = None
    body: Optional[str] = None
    session: Optional[str] = None
    doc_type: Optional[str] = None
    exact: bool = False
    # the paragraph's neighbourhood in the knowledge graph: its node, document, decision, the
    # initiatives/actors/targets/documents it links to, and its mandates (see docs/graph-schema.md)
    context: dict = field(default_factory=dict)
    dense_rank: Optional[int] = None
    lexical_rank: Optional[int] = None
    # the heading of the paragraph's section, as printed (a heading is shown as the section of its paragraphs)
    section: Optional[str] = None
    # the citations of other paragraphs with the same printed text (collapsed into this hit)
    also_in: list[str] = field(default_factory=list)
    also_in_ids: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


class HitEnricher:
    """Turns an indexed paragraph's row into a Hit; caches each document's decision headings per index generation."""

    def __init__(self, reads: SearchReads, index: SearchIndex, generation=None) -> None:
        self.reads = reads
        self.index = index
        self._generation = generation or index.generation  # the searcher's: read once per search call
        self._lock = threading.RLock()
        self._decisions: dict[str, list[tuple[int, str]]] = {}  # doc id -> (ord, decision) of its decision headings
        self._decisions_gen: Optional[int] = None

    def hit(self, row: sqlite3.Row, score: float) -> Hit:
        ann = _annotations(row)
        decision = self.decision_of(row, ann) or ""  # "": looked up, none
        return Hit(
            paragraph_id=row["id"], symbol=row["symbol"], citation=self.citation(row, decision), language=row["language"],
            text=printed_text(row), score=round(float(score), 6), document_id=row["doc_id"], title=row["title"],
            kind=row["kind"], label=row["label"], date=row["date"], body=row["body"], session=row["session"],
            doc_type=row["doc_type"], context=self.graph_context(row, ann, decision),
        )

    def citation(self, row: sqlite3.Row, decision: Optional[str] = None) -> str:
        """The paragraph's citation as the store computed it (corpus.citation: one rule for every entry point)."""
        return row["citation"] or row["symbol"] or row["title"] or row["doc_id"]

    def decision_of(self, row: sqlite3.Row, ann: Optional[dict] = None) -> Optional[str]:
        ann = _annotations(row) if ann is None else ann
        # a report may quote the mandates of a decision: only a decision document is cited by its decision
        for m in ann.get("mandates", []) if "decision" in (row["doc_type"] or "") else []:
            if m.get("decision"):
                return str(m["decision"]).removeprefix("decision:")
        heads = self.decision_headings(row["doc_id"])
        i = bisect.bisect_left(heads, (row["ord"], ""))
        if i:
            return heads[i - 1][1]
        if row["symbol"] is None and row["title"]:
            m = _DECISION.match(row["title"])
            if m:
                return re.sub(r"\s+", "", m.group(1))
        return None

    def decision_headings(self, doc_id: str) -> list[tuple[int, str]]:
        """(ord, decision) of every title or heading of a document that opens a decision, read once per index generation."""
        with self._lock:
            gen = self._generation()
            if gen != self._decisions_gen:
                self._decisions, self._decisions_gen = {}, gen
            heads = self._decisions.get(doc_id)
            if heads is None:
                heads = []
                for ord_, text in self.reads.headings(doc_id):
                    m = _DECISION.match(text or "")
                    if m:
                        heads.append((ord_, re.sub(r"\s+", "", m.group(1))))
                if len(self._decisions) > 10_000:
                    self._decisions.clear()
                self._decisions[doc_id] = heads
            return heads

    def graph_context(self, row: sqlite3.Row, ann: Optional[dict] = None, decision: Optional[str] = None) -> dict:
        """The hit's neighbourhood in the knowledge graph, from the same annotations the graph is built from."""
        ann = _annotations(row) if ann is None else ann
        links: dict[str, dict] = {}
        for e in ann.get("entities", []):
            if e.get("type") in ("date", "quantity") or not e.get("id"):
                continue
            node_id, label = entity_node(e["type"], e["id"])
            if label is not None and node_id not in links:
                links[node_id] = {"id": node_id, "label": label, "name": e.get("name") or e.get("text"),
                                  "relationship": "CITES" if label == "Document" else "MENTIONS"}
        if decision is None:
            decision = self.decision_of(row, ann)
        return {
            "paragraph": paragraph_node_id(row["id"]),
            "document": document_node_id(row["doc_id"]),
            "decision": (normalize_decision(decision) or f"decision:{decision}") if decision else None,
            "links": list(links.values()),
            "mandates": [{"verb": m.get("verb_en") or m.get("verb"), "addressees": m.get("addressees") or [],
                          "deadline": m.get("deadline")} for m in ann.get("mandates", [])],
        }

    def translations(self, row: sqlite3.Row) -> list[Translation]:
        """The same paragraph in other languages: `translation_of` links, and the same label in a same-symbol document."""
        found: dict[str, Translation] = {}
        lang = row["language"]
        for r in self.reads.translation_links(row["id"], row["translation_of"]):
            if r["id"] != row["id"] and r["language"] != lang:
                found.setdefault(r["id"], Translation(r["id"], r["language"], r["text"], r["symbol"], self.citation(r), "translation_of"))
        if row["symbol"] and row["label"]:
            others = self.reads.other_versions(row["symbol"], row["doc_id"], lang)
            # which of the document's paragraphs with this label it is: counted only when another version exists
            # (the count walks the document's paragraphs before it)
            nth = self.reads.label_rank(row["doc_id"], row["label"], row["ord"]) if others else 0
            for doc_id in others:
                r = self.reads.paragraph_by_label(doc_id, row["label"], nth)
                if r is not None and r["id"] not in found:
                    found[r["id"]] = Translation(r["id"], r["language"], r["text"], r["symbol"], self.citation(r), "symbol+label")
        return sorted(found.values(), key=lambda t: (t.language or "", t.paragraph_id))


def _annotations(row: sqlite3.Row) -> dict:
    try:
        return json.loads(row["annotations"] or "{}")
    except ValueError:
        return {}




def printed_text(row: sqlite3.Row) -> str:
    """The paragraph as printed, label included (what a negotiator quotes and the scorers compare)."""
    return model_printed_text(row["label"], row["label_sep"], row["text"])
