"""Precedent search: earlier paragraphs with the same or nearly the same wording, oldest first.

Given a paragraph id (or pasted text), candidates come from the lexical index
(BM25 over the same words) and, when an encoder is at hand, from the dense
index (paraphrases, other languages); each is scored by word-level similarity
(difflib ratio over tokens), kept above ``min_similarity``, and returned oldest
first (document date, then symbol) with a word-level diff against the query text:
``[-removed-]`` and ``{+added+}`` marks, and as a list of operations.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Optional

from unkg.errors import SearchError

from .engine import Filters, Searcher
from .text import _jieba, fts_or, normalise, parse_query


@dataclass
class Precedent:
    paragraph_id: str
    symbol: Optional[str]
    citation: str
    date: Optional[str]
    language: Optional[str]
    text: str
    similarity: float  # 0..1, word level; 1.0 means the same words in the same order
    identical: bool
    diff: str  # inline: [-old words-] {+new words+}
    ops: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_LATIN = re.compile(r"\w+(?:[’'.-]\w+)*|[^\w\s]")


def _words(text: str) -> list[str]:
    """Words as printed (case kept) and punctuation marks apart, for the diff; Chinese cut by jieba."""
    out: list[str] = []
    pos = 0
    text = unicodedata.normalize("NFKC", text)
    for m in _HAN_RUN.finditer(text):
        out.extend(_LATIN.findall(text[pos : m.start()]))
        out.extend(w for w in _jieba().cut(m.group()) if w.strip())
        pos = m.end()
    out.extend(_LATIN.findall(text[pos:]))
    return out


def word_diff(old: str, new: str) -> tuple[str, list[dict], float]:
    """Inline word diff from `old` (the precedent) to `new` (the query text), the operations, and the ratio."""
    a, b = _words(old), _words(new)
    # compare case-folded words, print them as written
    sm = difflib.SequenceMatcher(a=[w.lower() for w in a], b=[w.lower() for w in b], autojunk=False)
    parts: list[str] = []
    ops: list[dict] = []
    sep = "" if _cjk(old) and _cjk(new) else " "
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            parts.append(sep.join(a[i1:i2]))
            continue
        if i2 > i1:
            parts.append("[-" + sep.join(a[i1:i2]) + "-]")
        if j2 > j1:
            parts.append("{+" + sep.join(b[j1:j2]) + "+}")
        ops.append({"op": tag, "old": sep.join(a[i1:i2]), "new": sep.join(b[j1:j2])})
    return sep.join(p for p in parts if p), ops, sm.ratio()


def _cjk(text: str) -> bool:
    return sum(1 for c in text if "\u4e00" <= c <= "\u9fff") > len(text) / 4


def find_precedents(searcher: Searcher, paragraph_id: Optional[str] = None, text: Optional[str] = None,
                    min_similarity: float = 0.6, limit: int = 20, same_language: bool = True,
                    use_dense: bool = True) -> list[Precedent]:
    """Paragraphs worded the same or nearly the same, older than the given paragraph (all, for pasted text)."""
    if not paragraph_id and not (text and text.strip()):
        raise SearchError("give a paragraph id or a text to find precedents for")
    db = searcher.store.db
    searcher._maybe_index()
    ref_date = None
    ref_doc = None
    lang = None
    if paragraph_id:
        row = db.execute(
            "SELECT b.text, b.language, b.doc_id, d.date FROM blocks b JOIN documents d ON d.id = b.doc_id WHERE b.id = ?",
            (paragraph_id,),
        ).fetchone()
        if row is None:
            raise SearchError(f"no paragraph with id {paragraph_id!r}; `unkg search` shows paragraph ids")
        text, lang, ref_doc, ref_date = row["text"], row["language"], row["doc_id"], row["date"]
    else:
        from .text import query_language

        lang = query_language(text)
    text = normalise(text or "")
    cands: dict[int, None] = {}
    pq = parse_query(text.replace('"', " "))
    match = fts_or(pq.words)
    if match:
        for r, _s, _l, _b in searcher._fts(match, Filters(), 200):
            cands[r] = None
    if use_dense:
        try:
            for ids, _ in searcher.vector_index().search(searcher.encoder.encode([text]), 50):
                for r in ids.tolist():
                    cands[r] = None
        except SearchError:
            pass
    rows = searcher._rows(list(cands))
    out: list[Precedent] = []
    for r, row in rows.items():
        if paragraph_id and row["id"] == paragraph_id:
            continue
        if same_language and lang and row["language"] and row["language"] != lang:
            continue
        if ref_doc is not None:
            if row["doc_id"] == ref_doc:
                continue
            # earlier only: a dated reference keeps dated paragraphs from before it
            if ref_date and (not row["date"] or row["date"] >= ref_date):
                continue
        diff, ops, ratio = word_diff(row["text"], text)
        if ratio < min_similarity:
            continue
        out.append(Precedent(
            paragraph_id=row["id"], symbol=row["symbol"], citation=searcher.citation(row), date=row["date"],
            language=row["language"], text=row["text"], similarity=round(ratio, 4), identical=not ops, diff=diff, ops=ops,
        ))
    out.sort(key=lambda p: (p.date or "9999", p.symbol or "", p.paragraph_id))
    return out[:limit]
