"""Precedent search: earlier paragraphs with the same or nearly the same wording, oldest first.

Given a paragraph id (or pasted text), candidates come from the lexical index
(BM25 over the same words) and, when an encoder is at hand, from the dense
index (paraphrases, other languages); each is scored by word-level similarity
(difflib ratio over tokens), kept above ``min_similarity``, and returned oldest
first (document date, then symbol) with a word-level diff against the query text:
``[-removed-]`` and ``{+added+}`` marks, and as a list of operations.

Across languages (``same_language=False``) a paragraph and its translation share no words: a
paragraph in another language is kept when the dense similarity of the two texts clears the
threshold calibrated for that language pair on aligned dev data
(``crosslingual_thresholds.json``, made by bench/calibrate_precedents.py), and is shown beside
the query's own wording instead of a word diff.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
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
    # a paragraph in another language: found by meaning (dense similarity over the pair's threshold),
    # shown beside the query's wording (no word diff across languages)
    translation: bool = False
    query_language: Optional[str] = None
    query_text: str = ""

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


THRESHOLDS = Path(__file__).resolve().parent / "crosslingual_thresholds.json"


@lru_cache(maxsize=1)
def _thresholds() -> dict:
    try:
        return json.loads(THRESHOLDS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"use": {}, "default": 0.6}


def crosslingual_threshold(a: Optional[str], b: Optional[str]) -> float:
    """The dense similarity a paragraph in language `b` needs to count as a precedent of a text in `a`."""
    t = _thresholds()
    use = t.get("use", {})
    for key in (f"{a}-{b}", f"{b}-{a}"):
        if key in use:
            return float(use[key])
    return float(t.get("default", 0.6))


def _dense_sims(searcher: Searcher, text: str, rowids: list[int]) -> dict[int, float]:
    """Cosine of the query text to each paragraph, from the stored vectors (or encoded here when there are none)."""
    from .vectors import VectorIndex, similarities

    qv = searcher.encoder.encode([text])[0]
    vi = searcher.vector_index()
    sims = similarities(vi, qv, rowids) if isinstance(vi, VectorIndex) else {}
    missing = [r for r in rowids if r not in sims]
    if missing:
        texts = searcher.printed_texts(missing)
        order = [r for r in missing if r in texts]
        if order:
            vecs = searcher.encoder.encode([normalise(texts[r]) for r in order])
            sims.update({r: float(v) for r, v in zip(order, (vecs @ qv).tolist())})
    return sims


def find_precedents(searcher: Searcher, paragraph_id: Optional[str] = None, text: Optional[str] = None,
                    min_similarity: float = 0.6, limit: int = 20, same_language: bool = True,
                    use_dense: bool = True) -> list[Precedent]:
    """Paragraphs worded the same or nearly the same, older than the given paragraph (all, for pasted text)."""
    if not paragraph_id and not (text and text.strip()):
        raise SearchError("give a paragraph id or a text to find precedents for")
    store = searcher.store
    searcher.refresh()
    ref_date = None
    ref_doc = None
    lang = None
    if paragraph_id:
        row = store.paragraph_with_date(paragraph_id)
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
        for r in searcher.lexical_matches(match, Filters(), 200):
            cands[r] = None
    if use_dense:
        try:
            for ids, _ in searcher.vector_index().search(searcher.encoder.encode([text]), 50):
                for r in ids.tolist():
                    cands[r] = None
        except SearchError:
            pass
    rows = searcher.paragraph_rows(list(cands))
    own = set()
    if paragraph_id:  # the paragraph's own translations are the same text, not precedents
        own = store.translation_family(paragraph_id)
    other_lang = [r for r, row in rows.items() if lang and row["language"] and row["language"] != lang]
    sims = _dense_sims(searcher, text, other_lang) if other_lang and not same_language and use_dense else {}
    out: list[Precedent] = []
    for r, row in rows.items():
        if paragraph_id and (row["id"] == paragraph_id or row["id"] in own):
            continue
        crosses = bool(lang and row["language"] and row["language"] != lang)
        if same_language and crosses:
            continue
        if ref_doc is not None:
            if row["doc_id"] == ref_doc:
                continue
            # earlier only: a dated reference keeps dated paragraphs from before it
            if ref_date and (not row["date"] or row["date"] >= ref_date):
                continue
        if crosses:
            sim = sims.get(r)
            if sim is None or sim < crosslingual_threshold(lang, row["language"]):
                continue
            out.append(Precedent(
                paragraph_id=row["id"], symbol=row["symbol"], citation=searcher.citation(row), date=row["date"],
                language=row["language"], text=row["text"], similarity=round(sim, 4), identical=False, diff="", ops=[],
                translation=True, query_language=lang, query_text=text,
            ))
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
