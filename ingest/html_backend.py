"""HTML: block elements become paragraphs; scripts, styles and navigation are dropped."""

from __future__ import annotations

import re
from pathlib import Path

from unkg.errors import IngestError

from .encoding import decode_text, encoding_warnings
from .options import ReadOptions
from .raw import RawDoc, RawLine

_BLOCKS = {"p", "div", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dt", "dd", "caption", "section", "article", "header", "footer", "tr", "br"}
_TAGS = re.compile(r"<[^>]{0,2000}>")
_SCRIPTS = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
_SKIP = {"script", "style", "noscript", "nav", "template", "svg", "head", "iframe", "object"}


def read_html(path: Path, data: bytes, options: ReadOptions = ReadOptions()) -> RawDoc:
    import lxml.etree as etree
    import lxml.html

    text, enc = decode_text(str(path), data)
    try:
        parser = lxml.html.HTMLParser(recover=True, no_network=True, remove_comments=True, huge_tree=False)
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise IngestError(str(path), f"unreadable HTML: {exc}", "invalid") from None
    meta: dict = {}
    title = root.find(".//title")
    if title is not None and (title.text or "").strip():
        meta["title"] = title.text.strip()
    lang = root.get("lang") or root.get("xml:lang")
    if lang:
        meta["language"] = lang
    lines: list[RawLine] = []
    buf: list[str] = []
    state = {"role": "body", "level": None}

    def flush() -> None:
        content = " ".join("".join(buf).split())
        buf.clear()
        if content:
            lines.append(RawLine(content, break_before=True, whole=True, role=state["role"], heading_level=state["level"]))
        state["role"], state["level"] = "body", None

    body = root.find("body")
    start = body if body is not None else root
    # iterative walk: deeply nested trees must not exhaust the Python stack
    stack: list[tuple[object, bool]] = [(start, False)]
    while stack:
        el, closing = stack.pop()
        if closing:
            if el.tag in _BLOCKS:  # type: ignore[attr-defined]
                flush()
            if el.tail:  # type: ignore[attr-defined]
                buf.append(el.tail)  # type: ignore[attr-defined]
            continue
        tag = el.tag if isinstance(el.tag, str) else ""  # type: ignore[attr-defined]
        if tag in _SKIP:
            if el.tail:  # type: ignore[attr-defined]
                buf.append(el.tail)  # type: ignore[attr-defined]
            continue
        if tag in _BLOCKS:
            flush()
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                state["role"], state["level"] = "heading", int(tag[1])
            elif tag in ("td", "th"):
                state["role"] = "table"
        if el.text:  # type: ignore[attr-defined]
            buf.append(el.text)  # type: ignore[attr-defined]
        stack.append((el, True))
        for child in reversed(list(el)):  # type: ignore[arg-type]
            stack.append((child, False))
    flush()
    warnings = encoding_warnings(enc)
    if not lines:
        # libxml2 stops at a nesting depth of a few hundred; keep the words rather than lose the file
        plain = " ".join(_TAGS.sub(" ", _SCRIPTS.sub(" ", text)).split())
        if plain:
            lines = [RawLine(plain, break_before=True, whole=True)]
            warnings.append("HTML structure unreadable (nested too deeply); read as plain text")
    return RawDoc(lines=lines, meta=meta, warnings=warnings)
