"""From a backend's lines to typed blocks: the printed structure of UN documents.

Three passes, each with one job:
1. `drop_page_furniture`: running headers, footers and page numbers leave the flow.
2. `assemble`: wrapped lines become paragraphs (across page breaks and removed
   furniture when the sentence clearly goes on).
3. `classify`: title, chapeau, preamble, operative paragraphs and sub-paragraphs,
   headings, tables of contents, footnotes, front and back matter.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from unkg.model import Block

from .patterns import (
    CHAPEAU_RE,
    HEADING_LABEL_RE,
    LABEL_RE,
    PAGE_NOISE_RE,
    RESOLUTION_TITLE_RE,
    SENT_END,
    TERMINAL,
    TOC_HEAD_RE,
    TOC_LINE_RE,
    FOOTNOTE_RE,
    cjk_ratio,
    is_cjk,
    join_lines,
)
from .raw import RawLine

BACKMATTER_RE = re.compile(
    r"(?:\d+(?:st|nd|rd|th)\s+plenary\s+meeting|plenary\s+meeting$|séance\s+plénière|sesión\s+plenaria|пленарное\s+заседание|次全体会议|الجلسة\s+العامة)",
    re.I,
)
_DIGITS = re.compile(r"\d+")
SUPERSCRIPT_NOTE_RE = re.compile(r"^\s*(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\*{1,3}(?=\s)|[\u2020\u2021])\s*\S")  # "*word*" is emphasis, "* A/80/50." a note


class Para:
    """A paragraph being assembled from lines.

    Lines are kept as parts and joined on demand, so a paragraph of many
    thousand lines costs linear time; `tail` and `length` answer the
    questions the joining rules ask without building the whole text.
    """

    def __init__(self, lines: list[str], page: Optional[int], role: str = "body", heading_level: Optional[int] = None,
                 whole: bool = False, after_gap: bool = False, text: str = "") -> None:
        self.lines = lines
        self.page = page
        self.role = role
        self.heading_level = heading_level
        self.whole = whole
        self.after_gap = after_gap
        self.text = text

    @property
    def text(self) -> str:
        if self._cache is None:
            self._cache = "".join(self._parts)
        return self._cache

    @text.setter
    def text(self, value: str) -> None:
        self._parts = [value] if value else []
        self._cache = value
        self.length = len(value)

    @property
    def tail(self) -> str:
        """The last line as joined (enough for end-of-sentence tests)."""
        return self._parts[-1] if self._parts else ""

    @property
    def head(self) -> str:
        return self._parts[0] if self._parts else ""

    def add(self, line: str) -> None:
        self.lines.append(line)
        if not self._parts:
            self.text = line.strip()
            return
        last = self._parts[-1]
        joined = join_lines(last, line)
        keep = len(last.rstrip())
        if last.rstrip().endswith("\u00ad"):
            keep -= 1
        self._parts[-1] = joined[:keep]
        self._parts.append(joined[keep:])
        self.length += len(joined) - len(last)
        self._cache = None


@dataclass
class Furniture:
    """What pass 1 removed, kept for the record (tests and debugging)."""

    removed: list[str] = field(default_factory=list)


def _norm_key(text: str) -> str:
    return _DIGITS.sub("#", " ".join(text.split())).lower()


# A numbered or lettered list item of plain text ("2) Moderate decline"): a list repeated in a file is not a running head.
_LIST_ITEM_RE = re.compile(r"^\s*(?:\d{1,3}[.)]|\([a-z]{1,3}\)|[a-z]\))\s+\w")


# "II.\tAchieving ..." / "B.What does ...": a section letter or Roman numeral before a long title
_LONG_SECTION_RE = re.compile(r"^[ \t]*(?:[IVXL]{1,6}|[A-Z])\.(?:[ \t]+|(?=[A-Z][a-z]))[A-Z\u0400-\u04ff\u0600-\u06ff]")


def drop_page_furniture(lines: list[RawLine]) -> tuple[list[RawLine], list[bool], Furniture]:
    """Remove running headers/footers and page numbers.

    Returns the kept lines and, per kept line, whether something was removed
    just before it (a page break the paragraph may run across).
    """
    furniture = Furniture()
    n = len(lines)
    drop = [ln.role == "header" for ln in lines]  # the backend knows it is furniture (sideways margin text in PDFs)
    # standalone = a line that is a chunk of its own (break before and after)
    standalone = [
        lines[i].break_before and (i + 1 >= n or lines[i + 1].break_before or lines[i + 1].page != lines[i].page)
        for i in range(n)
    ]
    paged = len({ln.page for ln in lines if ln.page is not None}) > 1
    if paged:
        by_page: dict[int, list[int]] = {}
        for i, ln in enumerate(lines):
            if ln.role == "body" and ln.page is not None:
                by_page.setdefault(ln.page, []).append(i)
        edge_counts: Counter[str] = Counter()
        edges: list[int] = []
        for idxs in by_page.values():
            cand = idxs[:3] + idxs[-3:]
            for key in {_norm_key(lines[i].text) for i in cand}:
                edge_counts[key] += 1
            edges.extend(cand)
        threshold = max(2, int(0.3 * len(by_page)))
        for i in set(edges):
            if lines[i].size is not None and not standalone[i]:
                continue  # a PDF line inside a paragraph (no gap around it) is never a running head
            t = lines[i].text.strip()
            if len(t) < 200 and (edge_counts[_norm_key(t)] >= threshold or PAGE_NOISE_RE.match(t)):
                drop[i] = True
    # repeated standalone short lines (running heads in text converted from PDF)
    # paged files: digits vary on running heads ("2/5"); plain text: only exact repeats that cut a sentence count
    keyer = _norm_key if paged else (lambda t: " ".join(t.split()).lower())
    counts: Counter[str] = Counter(keyer(ln.text) for i, ln in enumerate(lines) if standalone[i])
    title_tail: set[str] = set()
    for ln in lines[:40]:
        m = RESOLUTION_TITLE_RE.match(ln.text)
        if m:
            title_tail.add(_norm_key(m.group("title")))
    seen_first: set[str] = set()
    for i, ln in enumerate(lines):
        if drop[i] or not standalone[i] or ln.role != "body":
            continue
        t = ln.text.strip()
        key = keyer(t)
        if PAGE_NOISE_RE.match(t) and i > 0:
            drop[i] = True
        elif _norm_key(t) in title_tail:
            drop[i] = True
        elif counts[key] >= 2 and len(t) < 150 and t[-1:] not in TERMINAL + "," and (paged or (i > 0 and _ends_open(lines[i - 1].text)
                                                                                             and not _LIST_ITEM_RE.match(t))):
            if key in seen_first or i > 30:
                drop[i] = True
            seen_first.add(key)
    kept: list[RawLine] = []
    gaps: list[bool] = []
    gap = False
    prev_page = None
    for i, ln in enumerate(lines):
        if drop[i]:
            furniture.removed.append(ln.text)
            gap = True
            continue
        if ln.page is not None and prev_page is not None and ln.page != prev_page or ln.flow_break:
            gap = True  # a page or column break: the paragraph may run across it
        prev_page = ln.page if ln.page is not None else prev_page
        kept.append(ln)
        gaps.append(gap)
        gap = False
    return kept, gaps, furniture


def _starts_structure(text: str) -> bool:
    """True if a line opens a new paragraph by its own form (label, heading, chapeau)."""
    if LABEL_RE.match(text) or CHAPEAU_RE.match(text) or RESOLUTION_TITLE_RE.match(text):
        return True
    return bool(HEADING_LABEL_RE.match(text)) and len(text) < 120


def _ends_open(text: str) -> bool:
    """The paragraph stops mid-sentence (no closing punctuation)."""
    t = text.rstrip()
    return bool(t) and t[-1] not in TERMINAL + ",，、)]）،؛" and (t[-1].isalnum() or is_cjk(t[-1]))


def _line_mode(lines: list[RawLine]) -> bool:
    """Files where every wrapped line is followed by a blank line (bad PDF-to-text)."""
    if any(ln.size for ln in lines):
        return False  # PDF lines carry their layout: a break there is a real vertical gap or indent
    chunks = [ln for ln in lines if ln.break_before and ln.role == "body"]
    if len(chunks) < 8:
        return False
    open_long = sum(1 for ln in chunks if len(ln.text) >= 50 and _ends_open(ln.text))
    if open_long / len(chunks) <= 0.5:
        return False
    # a wrapped line is followed by the rest of its sentence: in cased scripts that starts in lower case
    # at least sometimes; a list of items without final stops (SDG targets) starts every item in upper case
    nxt = [b.text.lstrip()[:1] for a, b in zip(chunks, chunks[1:]) if _ends_open(a.text) and b.text.strip()]
    cased = [c for c in nxt if c.isalpha() and c.lower() != c.upper()]
    if len(cased) >= 0.5 * len(nxt):
        return sum(1 for c in cased if c.islower()) >= 0.2 * len(cased)
    # uncased scripts (Arabic): wrapped lines share one width; paragraphs do not
    lens = sorted(len(ln.text.strip()) for ln in chunks)
    top = lens[int(len(lens) * 0.8)]
    return sum(1 for n in lens if n >= 0.8 * top) >= 0.6 * len(lens)


_CLOSERS = "。，、；：？！）」』》〉】〕”’.,;:!?)]»%"


def _continues(cur: Para, line: RawLine, gap: bool, line_mode: bool, trust_blank_lines: bool = False) -> bool:
    """May `line`, which follows a break, continue paragraph `cur`?

    `trust_blank_lines`: in plain text a blank line ends a paragraph, unless
    page furniture was removed there (gap) or every line is followed by one (line mode).
    """
    if cur.whole or line.whole or cur.role != "body" or line.role != "body":
        return False
    if line.opens:
        return False  # the layout says so: the line before the page or column break stopped short
    if trust_blank_lines and line.break_before and not gap and not line_mode:
        return False
    text = line.text.strip()
    if _starts_structure(text) or FOOTNOTE_RE.match(text) and gap:
        return False
    cur_t = cur.tail.rstrip()  # the end of the paragraph decides; its length comes from cur.length
    if not cur_t:
        return False
    first = text[:1]
    if first in _CLOSERS:
        return True  # no paragraph opens with a full stop or closing bracket ("。" carried over a page)
    if first.islower() and cur_t[-1] not in SENT_END and not (cur.length < 300 and CHAPEAU_RE.match(cur.text.rstrip())) and (line_mode or cur_t[-1] not in ",;،:：" or not line.break_before):
        return True  # (Russian and French preambular paragraphs start in lower case after a comma; not line.break_before: the PDF layout says it runs on)
    if not _ends_open(cur_t):
        return False
    cjk = cjk_ratio(cur_t) > 0.5
    min_len = 20 if cjk else 40
    if gap and cur.length >= min_len:
        return True
    if not cjk and cur.length >= 150 and _NUM_LABEL_RE.match(cur.head) and cur_t[-1].isalpha():
        return True  # a numbered paragraph never ends mid-sentence: a page break in text converted from PDF
    if cjk and cur.length >= 40 and "，" in cur.text[-3000:] and (is_cjk(first) or first.isdigit()):
        return True  # a Chinese sentence does not end without 。；：
    return line_mode and not cjk and (cur.length >= 100 or len(cur.lines[-1]) >= 45 or len(cur.lines[-1]) <= 4 or len(text) <= 4)


def _one_line_per_paragraph(lines: list[RawLine]) -> bool:
    """Text with no blank lines at all, where lines end sentences: each line is a paragraph."""
    if len(lines) < 6 or any(ln.break_before for ln in lines[1:]) or any(ln.page for ln in lines):
        return False
    ends = sum(1 for ln in lines if ln.text.rstrip()[-1:] in TERMINAL + "”\"'）)" or len(ln.text) < 80)
    return ends / len(lines) > 0.6


def _script_changes(a: str, b: str) -> bool:
    """A line in another script than the paragraph so far (bilingual files) starts a new one."""
    ra, rb = cjk_ratio(a), cjk_ratio(b)
    # a Chinese line may hold more digits, Latin and punctuation than Han ("，79.5%的土地已经退化。"):
    # only a line with no Han at all (or all Han after none) is another script
    return (ra > 0.5 and rb == 0.0 and any(c.isalpha() for c in b)) or (ra == 0.0 and rb > 0.5 and any(c.isalpha() for c in a))


def assemble(lines: list[RawLine], gaps: list[bool], trust_blank_lines: bool = False) -> list[Para]:
    """Join wrapped lines into paragraphs (see `_continues` for `trust_blank_lines`)."""
    paras: list[Para] = []
    line_mode = _line_mode(lines)
    if _one_line_per_paragraph(lines):
        lines = [RawLine(ln.text, ln.page, True, ln.whole, ln.role, ln.heading_level, ln.size) for ln in lines]
    cur: Optional[Para] = None
    last_body: Optional[Para] = None  # the body paragraph a footnote may have interrupted
    for line, gap in zip(lines, gaps):
        text = line.text.strip()
        if not text:
            continue
        if cur is not None and _is_note(cur) and last_body is not None and (line.break_before or gap) and line.role == "body" \
                and not _is_note_line(line) and _continues(last_body, line, True, line_mode, trust_blank_lines):
            last_body.add(text)  # the sentence goes on after the footnote
            cur = last_body  # and its next lines too
            continue
        new = cur is None
        if not new:
            assert cur is not None
            if line.break_before or gap:
                new = not _continues(cur, line, gap, line_mode, trust_blank_lines)
            else:
                new = cur.whole or line.whole or line.role != cur.role or _script_changes(cur.tail, text) or bool(LABEL_RE.match(text)) and cur.role == "body" and (
                    _label_kind(LABEL_RE.match(text)) not in ("num", "sect") or cur.tail.rstrip()[-1:] in TERMINAL + ","  # "45.5 per cent" runs on
                )
        if new:
            cur = Para(lines=[], page=line.page, role=line.role, heading_level=line.heading_level, whole=line.whole, after_gap=gap)
            paras.append(cur)
        assert cur is not None
        cur.add(text)
        if cur.role == "body" and not _is_note(cur):
            last_body = cur
    return split_glued_labels(paras)


# words after which "9." is a reference ("article 9."), not the next paragraph's label
_REF_WORDS = {
    "article", "articles", "paragraph", "paragraphs", "para", "paras", "resolution", "resolutions", "decision", "decisions",
    "chapter", "section", "annex", "no", "goal", "goals", "target", "targets", "principle", "principles", "page", "pages",
    "rule", "rules", "item", "items", "part", "recommendation", "recommendations", "table", "figure", "box", "step", "vol", "volume", "cap", "regulation",
    # French, Spanish, Russian ("à l'étape 2. Idéalement" is a reference, not paragraph 2)
    "paragraphe", "paragraphes", "résolution", "résolutions", "décision", "décisions", "chapitre", "annexe", "objectif",
    "objectifs", "cible", "cibles", "principe", "principes", "règle", "règles", "point", "points", "partie", "tableau",
    "encadré", "étape", "étapes", "règlement", "recommandation", "recommandations",
    "artículo", "artículos", "párrafo", "párrafos", "resolución", "resoluciones", "decisión", "decisiones", "capítulo",
    "sección", "anexo", "objetivo", "objetivos", "meta", "metas", "principio", "principios", "regla", "reglas", "tema",
    "temas", "parte", "cuadro", "figura", "recuadro", "paso", "pasos", "etapa", "etapas", "reglamento", "recomendación",
    "статья", "статьи", "статье", "пункт", "пункта", "пункте", "пунктах", "резолюция", "резолюции", "решение", "решения",
    "глава", "главы", "раздел", "раздела", "приложение", "приложения", "цель", "цели", "задача", "задачи", "правило",
    "правила", "часть", "таблица", "таблице", "рисунок", "вставка", "шаг", "шага", "этап", "этапа", "этапе", "рекомендация",
}
_UNNUMBERED_OP_RE = re.compile(r"^(?:(?:Also|Further|Furthermore|Again|Once\s+again|Strongly|Urgently|Hereby)\s+)?[A-Z][a-z]{2,}(?:es|s)\s+(?:its|the|that|to|all|with|on|upon|further|also|a|an|Member|States|Governments)\b")
# a present-tense operative verb opening a paragraph (preambles open with participles and end in ",")
_UNNUMBERED_OP_LOOSE_RE = re.compile(r"^(?:(?:Also|Further|Furthermore|Again|Once\s+again|Strongly|Urgently)\s+(?=[a-z]))?(?i:Requests|Invites|Encourages|Urges|Calls|Decides|"
                                     r"Welcomes|Recommends|Authorizes|Approves|Adopts|Endorses|Notes|Takes|Stresses|Emphasizes|Affirms|Reaffirms|"
                                     r"Recognizes|Acknowledges|Appeals|Expresses|Underlines|Commends|Supports|Agrees|Instructs)\s")
_NUM_LABEL_RE = re.compile(r"^\s*(\d{1,3})[.)]\s")


def split_glued_labels(paras: list[Para]) -> list[Para]:
    """Split paragraphs that swallowed the next numbered paragraph (text converted from PDF).

    "... Pact for the Future. 16 9. We note ..." becomes two paragraphs when 9 is
    exactly the number expected next; "article 9. The" is left alone.
    """
    out: list[Para] = []
    expected: Optional[int] = None
    for p in paras:
        pieces = [p]
        if p.role == "body" and not p.whole or p.role == "body" and len(p.text) > 200:
            pieces = []
            rest = p
            while True:
                m0 = _NUM_LABEL_RE.match(rest.text)
                nxt = int(m0.group(1)) + 1 if m0 else expected
                cut = _glued_cut(rest.text, nxt) if nxt else None
                if cut is None and nxt and not m0:  # the expected label itself may be lost in conversion: allow the one after
                    nxt += 1
                    cut = _glued_cut(rest.text, nxt)
                if cut is None:
                    pieces.append(rest)
                    break
                head, tail = rest.text[:cut].rstrip(), rest.text[cut:].lstrip()
                pieces.append(Para(lines=[head], page=rest.page, role=rest.role, heading_level=rest.heading_level, whole=rest.whole, after_gap=rest.after_gap, text=head))
                rest = Para(lines=[tail], page=rest.page, role=rest.role, whole=rest.whole, text=tail)
                expected = nxt
        for q in pieces:
            m = _NUM_LABEL_RE.match(q.text)
            if m and q.role == "body":
                expected = int(m.group(1)) + 1
            out.append(q)
    return out


def _glued_cut(text: str, n: int) -> Optional[int]:
    """Where label `n.` starts a new paragraph inside `text`, if it does."""
    for m in re.finditer(rf"(?<=\s){n}\.\s+(?=[A-Z\u2018\u201c\"(])", text):
        before = text[: m.start()].rstrip()
        if len(before) < 15:
            continue
        prev_word = re.sub(r"[^\w]", "", before.split()[-1].lower()) if before.split() else ""
        if prev_word in _REF_WORDS or before.endswith(("No.", "para.", "paras.", "art.", "p.", "pp.")):
            continue
        return m.start()
    return None


def _is_note_line(line: RawLine) -> bool:
    return line.role == "footnote" or (line.break_before and bool(SUPERSCRIPT_NOTE_RE.match(line.text)) and len(line.text) < 400)


def _is_note(p: Para) -> bool:
    return p.role == "footnote" or (p.length < 400 and bool(SUPERSCRIPT_NOTE_RE.match(p.head)))


def _label_kind(m: Optional[re.Match]) -> Optional[str]:
    if m is None:
        return None
    for key in ("sect", "num", "paren", "alpha", "bullet", "cjk", "cjkparen"):
        if m.group(key):
            return key
    return None


_ROMAN = re.compile(r"^[ivxlc]+$")


def _sub_level(label: str, prev_alpha: Optional[str]) -> int:
    """(a) is level 2, (i) level 3, (aa) level 2; (i) after (h) is a letter."""
    if _ROMAN.match(label) and not (label in ("i", "v", "x", "l", "c") and prev_alpha and ord(label[0]) == ord(prev_alpha[-1]) + 1):
        return 3
    return 2


@dataclass
class _State:
    in_resolution: bool = False
    seen_operative: bool = False
    body_started: bool = False
    in_toc: bool = False
    last_alpha: Optional[str] = None
    last_heading: Optional[str] = None
    last_level1: Optional[str] = None
    last_level2: Optional[str] = None
    open_chapeau: bool = False  # the last numbered paragraph ended with ":" (sub-paragraphs follow)


def _is_heading_like(text: str) -> bool:
    t = text.strip()
    return 0 < len(t) <= 100 and t[-1] not in TERMINAL + ",，、،؛" and not t[:1].islower()


def classify(paras: list[Para], doc_id: str) -> list[Block]:
    """Give each paragraph its kind, zone, label, level and parent."""
    blocks: list[Block] = []
    st = _State()
    n = len(paras)
    for i, p in enumerate(paras):
        text = p.text.replace("\u00ad", "").strip()
        if not text:
            continue
        orig = text
        bid = f"{doc_id}#{len(blocks) + 1}"
        label: Optional[str] = None
        level = 0
        parent: Optional[str] = None
        zone = "body" if st.body_started else "front"
        kind = "text"
        if p.role == "footnote" or (SUPERSCRIPT_NOTE_RE.match(text) and len(text) < 400) or (p.after_gap and FOOTNOTE_RE.match(text) and len(text) < 300 and not LABEL_RE.match(text)):
            blocks.append(Block(id=bid, ord=len(blocks), kind="footnote", zone=zone if zone != "toc" else "body", page=p.page, text=text))
            continue
        if TOC_HEAD_RE.match(text):
            st.in_toc = True
            st.body_started = True
            blocks.append(Block(id=bid, ord=len(blocks), kind="heading", zone="toc", page=p.page, text=text, level=1))
            continue
        if st.in_toc:
            if TOC_LINE_RE.search(text) or p.role == "table" or (len(text) < 120 and re.search(r"\d\s*$", text)):
                blocks.append(Block(id=bid, ord=len(blocks), kind="table", zone="toc", page=p.page, text=text))
                continue
            st.in_toc = False
        if p.role == "table":
            blocks.append(Block(id=bid, ord=len(blocks), kind="table", zone=zone, page=p.page, text=text, parent=st.last_heading))
            continue
        chapeau = CHAPEAU_RE.match(text)
        title_m = RESOLUTION_TITLE_RE.match(text)
        lab = LABEL_RE.match(text)
        head_lab = HEADING_LABEL_RE.match(text)
        if chapeau:
            st.in_resolution, st.seen_operative, st.body_started = True, False, True
            kind, zone = "preambular", "body"
        elif title_m and not st.seen_operative and not lab and i + 3 < n and any(CHAPEAU_RE.match(q.text.strip()) for q in paras[i + 1 : i + 4]):
            kind, zone = "title", "front" if not st.body_started else "body"
        elif p.role == "heading":
            kind = "heading"
            level = p.heading_level or 1
            if head_lab:
                label, text = head_lab.group("label").strip(), text[head_lab.end():].strip() or text
            elif lab and _label_kind(lab) in ("num", "sect") and text[lab.end():].strip():
                label, text = lab.group("label").strip(), text[lab.end():].strip()  # "### 2.1.3. Reporting process"
            if not st.body_started and level <= 1 and not any(b.kind == "title" for b in blocks):
                kind = "title"
            elif head_lab or st.body_started:
                st.body_started, zone = True, "body"
        elif lab and _label_kind(lab) in ("cjk", "cjkparen") and _is_heading_like(text[lab.end():]):
            kind, level = "heading", 1 if _label_kind(lab) == "cjk" else 2
            label, text = lab.group("label").strip(), text[lab.end():].strip()
            st.body_started, zone = True, "body"
        elif lab and text[lab.end():].strip():
            lk = _label_kind(lab)
            label = lab.group("label").strip()
            text = text[lab.end():].strip()
            st.body_started, zone = True, "body"
            if lk in ("num", "sect"):
                level = 1
                kind = "operative" if st.in_resolution else "text"
                if st.in_resolution:
                    st.seen_operative = True
                st.last_alpha = None
                st.open_chapeau = text.rstrip().endswith(":")
            else:
                raw = label.strip("()").rstrip(")")
                level = 2 if lk == "bullet" else _sub_level(raw, st.last_alpha)
                if level == 2 and lk != "bullet":
                    st.last_alpha = raw
                if st.in_resolution:
                    kind = "operative" if st.seen_operative else "preambular"
                else:
                    kind = "text"
        elif head_lab and (_is_heading_like(text) or _LONG_SECTION_RE.match(text) and len(text) <= 250 and text[-1] not in TERMINAL + ",，、،؛"):
            # a long section title ("II.\tAchieving sustainable urban development through ... infrastructure")
            kind, level = "heading", 1 if re.match(r"\s*[IVXL]+[.]", text) else 2
            label, text = head_lab.group("label").strip(), text[head_lab.end():].strip() or text
            st.body_started, zone = True, "body"
        elif st.in_resolution and BACKMATTER_RE.search(text) and len(text) < 120:
            kind, zone = "text", "back"
        elif st.in_resolution and not st.seen_operative:
            kind = "heading" if _is_heading_like(text) and len(text) < 60 and not text.endswith(",") and _next_is_body(paras, i) else "preambular"
            if kind == "preambular" and text.endswith(".") and _UNNUMBERED_OP_RE.match(text) and not any(LABEL_RE.match(q.text) for q in paras[i + 1 : i + 3]):
                kind, level = "operative", 1  # the single, unnumbered operative paragraph ("Adopts the ... annexed to the present resolution.")
                st.seen_operative = True
            elif kind == "preambular" and text[-1:] in ";.:" and _UNNUMBERED_OP_LOOSE_RE.match(text) and blocks and blocks[-1].kind == "preambular" \
                    and blocks[-1].text.rstrip()[-1:] in ",;":
                kind, level = "operative", 1  # operative paragraphs printed without numbers (after preambles ending in ",")
                st.seen_operative = True
                st.open_chapeau = text.endswith(":")
        elif st.in_resolution:
            kind = "heading" if _is_heading_like(text) else "text"
            # operative paragraphs and sub-paragraphs whose labels were lost in conversion
            unnumbered_op = kind == "text" and (_UNNUMBERED_OP_RE.match(text) or _UNNUMBERED_OP_LOOSE_RE.match(text)) and len(text) > 15
            unnumbered_doc = unnumbered_op and not any(b.kind == "operative" and b.label for b in blocks)
            if unnumbered_doc and st.open_chapeau and text[-1:] in ".;:":
                # an unnumbered operative paragraph closes the unnumbered chapeau before it
                kind, level = "operative", 1
                st.open_chapeau = text.endswith(":")
            elif kind == "text" and st.open_chapeau and text[-1:] in ".;" and len(text) > 40 and not BACKMATTER_RE.search(text):
                kind, level = "operative", 2  # under "... and in this regard:"
            elif unnumbered_op and text[-1:] in ".;" and len(text) > 40:
                kind, level = "operative", 1
            elif unnumbered_doc and text.endswith(":"):
                kind, level = "operative", 1
                st.open_chapeau = True  # "Requests the Executive Director to:" opens unnumbered sub-paragraphs
        elif st.body_started or len(text) > 200:
            st.body_started, zone = True, "body"
            kind = "heading" if _is_heading_like(text) and len(text) < 90 and _next_is_body(paras, i) else "text"
        if kind == "heading":
            if level == 0:
                level = 1
            parent = None
        elif level >= 3:
            parent = st.last_level2 or st.last_level1
        elif level == 2:
            parent = st.last_level1 or st.last_heading
        else:
            parent = st.last_heading
        block = Block(id=bid, ord=len(blocks), kind=kind, zone=zone, label=label, label_sep=_label_sep(orig, label, text) if label else None,
                      level=level, parent=parent, page=p.page, text=text)  # type: ignore[arg-type]
        blocks.append(block)
        if kind == "heading":
            st.last_heading = bid
            st.last_level1 = st.last_level2 = None
        elif level == 1:
            st.last_level1, st.last_level2 = bid, None
        elif level == 2:
            st.last_level2 = bid
    return blocks


def _label_sep(orig: str, label: str, text: str) -> str:
    """The characters printed between a label and its text."""
    i = orig.find(label)
    j = orig.find(text, i + len(label)) if i != -1 and text else -1
    if j == -1:
        return " "
    return orig[i + len(label):j]


def _next_is_body(paras: list[Para], i: int) -> bool:
    """A heading is followed by a longer paragraph (not the end of the file)."""
    for q in paras[i + 1 : i + 3]:
        if q.role in ("body", "table") and len(q.text) > len(paras[i].text):
            return True
    return False
