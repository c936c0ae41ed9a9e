"""Text helpers the pages use: query terms, highlighting, entity marks, diff runs, URL path segments.

Each returns plain segments; the templates escape every one, so no text from
a document or a query ever reaches the page as markup.
"""

from __future__ import annotations

import re
from urllib.parse import quote

_WORD = re.compile(r"[\w\-]+", re.U)
_STOP = {"the", "and", "of", "to", "in", "a", "an", "on", "for", "by", "with", "as", "at", "or", "is", "are", "be",
         "de", "la", "le", "les", "des", "et", "du", "el", "los", "las", "y", "en"}
_DIFF_MARK = re.compile(r"\[-(.*?)-\]|\{\+(.*?)\+\}", re.S)


def query_terms(q: str) -> list[str]:
    """The words of a query worth highlighting (no stop words, no single Latin letters)."""
    terms = []
    for w in _WORD.findall(q or ""):
        wl = w.lower()
        if wl in _STOP or (len(wl) < 2 and not re.match(r"[\u3400-\u9fff]", wl)):
            continue
        if wl not in terms:
            terms.append(wl)
    return terms[:20]


def highlight(text: str, terms: list[str]) -> list[dict]:
    """Split text into segments, `match` true where a query term occurs (case-insensitive); the template escapes each."""
    if not terms:
        return [{"text": text, "match": False}]
    pat = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I)
    out, pos = [], 0
    for m in pat.finditer(text):
        if m.start() > pos:
            out.append({"text": text[pos:m.start()], "match": False})
        out.append({"text": m.group(0), "match": True})
        pos = m.end()
    if pos < len(text):
        out.append({"text": text[pos:], "match": False})
    return out


def marked(text: str, entities: list, citations: list) -> list[dict]:
    """Split text into segments marking entity and citation spans (class and a title naming what was found)."""
    spans = []
    for e in entities:
        spans.append((e.start, e.end, f"ent ent-{e.type}", f"{e.type}: {e.name} ({e.id})"))
    for c in citations:
        spans.append((c.start, c.end, f"ent ent-cite cite-{c.type}", f"{c.type.replace('_', ' ')}: {c.id}"))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out, pos = [], 0
    for start, end, cls, title in spans:
        if start < pos or end > len(text) or start >= end:
            continue
        if start > pos:
            out.append({"text": text[pos:start]})
        out.append({"text": text[start:end], "cls": cls, "title": title})
        pos = end
    if pos < len(text):
        out.append({"text": text[pos:]})
    return out


def diff_segments(diff: str) -> list[dict]:
    """The `[-removed-]` / `{+added+}` marks of search.precedents.word_diff as equal/del/ins runs (the template escapes each)."""
    out, pos = [], 0
    for m in _DIFF_MARK.finditer(diff or ""):
        if m.start() > pos:
            out.append({"op": "equal", "text": diff[pos:m.start()]})
        out.append({"op": "del", "text": m.group(1)} if m.group(1) is not None else {"op": "ins", "text": m.group(2)})
        pos = m.end()
    if pos < len(diff or ""):
        out.append({"op": "equal", "text": diff[pos:]})
    return out


def qpath(s: str) -> str:
    """An id as one URL path segment ('/' '#' '@' encoded)."""
    return quote(s, safe="")
