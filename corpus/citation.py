"""How a person cites a paragraph: one rule for the CLI, the HTTP API, the web page, search and the graph.

A numbered paragraph is cited by its printed number with its parents' numbers
("decision 22/COP.15, para. 3", "ICCD/COP(16)/18, para. 2 (a)"). A paragraph
without a number is cited by its section and its position there
("ICCD/COP(16)/18, Summary, unnumbered para. 1"), never by a number that could
collide with a printed one. Text inside a decision's own heading is cited by the
decision; a General Assembly resolution by "resolution 80/251"; anything else
by the document's symbol, else its title.

The store computes every block's citation when it writes a document; the other
packages read it from there.
"""

from __future__ import annotations

import re
from urllib.parse import quote
from typing import Optional

from unkg.model import Block, Document

from .identifiers import DECISION_HEADING, RES_SYMBOL

#: bump when the rules below (citations, element ids) change: stores recompute what they keep
CITATION_RULE = "5"

_SECTION_CHARS = 60
#: a short text line such as "Decision 9/COP.16" opens a decision like a heading does
_OPENER_CHARS = 120
_SENTENCE_ENDS = (":", "：", ";", "；", ".", "。", ",", "，")
#: list markers that are not printed numbers: an item is cited by its position under its paragraph
BULLETS = frozenset("-–—•·*▪◦○●■□➢►")


def para_label(label: Optional[str]) -> str:
    """A printed label as cited: "3." -> "3", "(a)" stays."""
    return (label or "").strip().rstrip(".").strip()


def is_bullet(label: Optional[str]) -> bool:
    return (label or "").strip() in BULLETS


def decision_of_heading(text: str) -> Optional[str]:
    """"22/COP.15" when a title or heading opens that decision."""
    m = DECISION_HEADING.match(text or "")
    return re.sub(r"\s+", "", m.group(1)) if m else None


def _opener_line(b: Block) -> bool:
    """A short unnumbered line standing alone ("Decision 9/COP.16"), not a sentence about a decision."""
    t = b.text.strip()
    return b.kind == "text" and not b.label and len(t) <= _OPENER_CHARS and not t.endswith(_SENTENCE_ENDS)


def document_place(doc: Document) -> str:
    """How the document itself is named in a citation (outside any decision heading)."""
    m = RES_SYMBOL.match(doc.symbol or "")
    if m:
        return f"resolution {m.group(1)}/{m.group(2)}"
    return doc.symbol or (doc.title or doc.id)[:80]


def _section_name(head: Block) -> str:
    lab = para_label(head.label)
    if lab:
        return f"sect. {lab}"
    text = " ".join(head.text.split())
    return text if len(text) <= _SECTION_CHARS else text[: _SECTION_CHARS - 1] + "…"


def cite_blocks(doc: Document) -> dict[str, str]:
    """The citation of every block of a document, by block id."""
    by_id = {b.id: b for b in doc.blocks}
    base = document_place(doc)
    title_decision = None if doc.symbol and RES_SYMBOL.match(doc.symbol) else decision_of_heading(doc.title or "")
    decision = title_decision
    section: Optional[Block] = None
    unnumbered = 0
    items: dict[Optional[str], int] = {}  # bullets seen per parent
    item_no: dict[str, int] = {}
    out: dict[str, str] = {}
    for b in sorted(doc.blocks, key=lambda x: x.ord):
        if b.kind in ("title", "heading") or _opener_line(b):
            opened = decision_of_heading(b.text)
            if opened:
                decision = opened
            if b.kind == "heading":
                section, unnumbered = b, 0
        where = f"decision {decision}" if decision else base
        if b.kind == "title":
            out[b.id] = where
            continue
        if b.kind == "heading":
            out[b.id] = f"{where}, {_section_name(b)}"
            continue
        if is_bullet(b.label):
            items[b.parent] = item_no[b.id] = items.get(b.parent, 0) + 1
        labels: list[str] = []
        cur: Optional[Block] = b
        hops = 0
        while cur is not None and hops < 8:
            if cur.label and cur.kind not in ("heading", "title") and not is_bullet(cur.label):
                labels.append(para_label(cur.label))
            cur = by_id.get(cur.parent) if cur.parent else None
            hops += 1
        item = f", item {item_no[b.id]}" if b.id in item_no else ""
        if labels:
            out[b.id] = f"{where}, para. {' '.join(reversed(labels))}{item}"
            continue
        unnumbered += 1
        sect = f", {_section_name(section)}" if section is not None else ""
        out[b.id] = f"{where}{sect}, unnumbered para. {unnumbered}{item}"
    return out


def permalink(doc_id: str, eid: Optional[str]) -> Optional[str]:
    """The stable link of a paragraph, the same in the web page, the API and the RDF export:
    /eli/<document id, URL-encoded>/<element id>."""
    return f"/eli/{quote(doc_id, safe='')}/{eid}" if eid else None


# -- permanent element ids ---------------------------------------------------------------------------

_ROMAN = re.compile(r"^(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")


def _label_core(label: str) -> str:
    return para_label(label).strip("()").strip().rstrip(")").strip()


def _eid_part(label: str, prev_roman: bool) -> str:
    core = _label_core(label)
    low = core.lower()
    if core.isdigit():
        return f"para_{int(core)}"
    if _ROMAN.match(low) and (len(low) > 1 or prev_roman):
        return f"point_{low}"
    if len(core) == 1 and core.isalpha():
        return f"subpara_{low}"
    return "item_" + (re.sub(r"[^\w]+", "-", low, flags=re.U).strip("-") or "x")


def element_ids(doc: Document) -> dict[str, str]:
    """An Akoma Ntoso-style element id for every block, stable while the printed structure stays:
    `para_2__subpara_a`, `sec_B`, `sec_B__text_1` (an unnumbered paragraph: section and position),
    `para_8__item_2` (a list item), `title`. Unique within the document (a repeat gets `_2`)."""
    by_id = {b.id: b for b in doc.blocks}
    out: dict[str, str] = {}
    used: dict[str, int] = {}
    section_eid = "front"
    unnumbered = 0
    items: dict[Optional[str], int] = {}
    headings = 0
    last_roman: dict[Optional[str], bool] = {}

    def unique(eid: str) -> str:
        used[eid] = used.get(eid, 0) + 1
        return eid if used[eid] == 1 else f"{eid}_{used[eid]}"

    for b in sorted(doc.blocks, key=lambda x: x.ord):
        if b.kind == "title":
            out[b.id] = unique("title")
            continue
        if b.kind == "heading":
            headings += 1
            lab = _label_core(b.label or "")
            section_eid = unique(f"sec_{re.sub(r'[^0-9A-Za-z]+', '-', lab).strip('-') or headings}")
            out[b.id] = section_eid
            unnumbered = 0
            continue
        parts: list[str] = []
        cur: Optional[Block] = b
        hops = 0
        while cur is not None and hops < 8:
            if cur.label and cur.kind not in ("heading", "title"):
                if is_bullet(cur.label):
                    if cur is b:
                        items[b.parent] = items.get(b.parent, 0) + 1
                        parts.append(f"item_{items[b.parent]}")
                else:
                    prev = last_roman.get(cur.parent, False)
                    part = _eid_part(cur.label, prev)
                    if cur is b:
                        last_roman[b.parent] = part.startswith("point_")
                    parts.append(part)
            cur = by_id.get(cur.parent) if cur.parent else None
            hops += 1
        if parts and not (len(parts) == 1 and parts[0].startswith("item_")):
            out[b.id] = unique("__".join(reversed(parts)))
            continue
        unnumbered += 1
        tail = f"__{parts[0]}" if parts else ""
        out[b.id] = unique(f"{section_eid}__text_{unnumbered}{tail}")
    return out
