"""The bound on paragraph length, and the splitting that keeps every paragraph under it.

Why: one paragraph is one unit for extraction, the FTS index, the encoder and
the graph. A file that is one 50 MB line would otherwise be one 50 MB
paragraph, and the encoder's memory grows with the square of its length (a
single such file made every later `index` and `search` fail). Long blocks are
cut at ingest into pieces of at most ``MAX_PARAGRAPH_CHARS`` characters, at a
sentence end if one falls in the second half of the window, else at a space,
else (unbroken text) at the bound itself. The file's status reports the cut
(a warning, so it ends as ``partial``). The encoder keeps its own hard cap
(``search/encoders.py``) as the last guard for stores made before this bound.
"""

from __future__ import annotations

import re

#: longest paragraph kept whole; UN operative paragraphs run to about 3,000 characters
MAX_PARAGRAPH_CHARS = 5000

# the LAST sentence end of a window (Latin/Cyrillic/Arabic full stop, ! ? ; followed by a space, or a
# CJK stop) and the last space: one greedy match each, so a cut costs one scan of the window
_LAST_SENTENCE_END = re.compile(r"(?s:.*)(?:[.!?;؟؛](?=\s)|[。！？；])")
_LAST_SPACE = re.compile(r"(?s:.*)\s")


def split_long(text: str, limit: int = MAX_PARAGRAPH_CHARS) -> list[str]:
    """Cut `text` into stripped pieces of at most `limit` characters (one piece if it fits)."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    start, n = 0, len(text)
    while n - start > limit:
        window = text[start : start + limit]
        m = _LAST_SENTENCE_END.match(window, limit // 2) or _LAST_SPACE.match(window, limit // 2)
        cut = m.end() if m else limit
        piece = window[:cut].strip()
        if piece:
            pieces.append(piece)
        start += cut
    rest = text[start:].strip()
    if rest:
        pieces.append(rest)
    return pieces


def split_warning(long_blocks: int, pieces: int, limit: int = MAX_PARAGRAPH_CHARS) -> str:
    """The line a file's status carries when paragraphs were cut."""
    return (f"{long_blocks} paragraph(s) longer than {limit} characters split into {pieces} pieces "
            "at sentence or word boundaries")
