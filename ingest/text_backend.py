"""Plain text: lines, blank-line breaks, form feeds as page breaks."""

from __future__ import annotations

from pathlib import Path

from .encoding import decode_text, encoding_warnings
from .options import ReadOptions
from .raw import RawDoc, RawLine


def lines_from_text(text: str, start_page: int | None = None) -> list[RawLine]:
    """Split text into RawLines; blank lines mark breaks, \\f starts a new page."""
    out: list[RawLine] = []
    page = start_page
    pending_break = True
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if "\f" in raw:
            parts = raw.split("\f")
            for i, part in enumerate(parts):
                if i > 0:
                    page = (page or 1) + 1
                    pending_break = True
                if part.strip():
                    out.append(RawLine(part.rstrip(), page=page, break_before=pending_break))
                    pending_break = False
            continue
        if not raw.strip():
            pending_break = True
            continue
        out.append(RawLine(raw.rstrip(), page=page, break_before=pending_break))
        pending_break = False
    return out


def read_text(path: Path, data: bytes, options: ReadOptions = ReadOptions()) -> RawDoc:
    text, enc = decode_text(str(path), data)
    has_ff = "\f" in text
    lines = lines_from_text(text, start_page=1 if has_ff else None)
    return RawDoc(lines=lines, meta={"encoding": enc}, pages=(text.count("\f") + 1) if has_ff else None, warnings=encoding_warnings(enc))
