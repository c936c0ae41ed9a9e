"""Markdown with optional YAML front matter: headings, footnotes, tables, inline markup removed."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .encoding import decode_text, encoding_warnings
from .options import ReadOptions
from .raw import RawDoc, RawLine

_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
_FOOTDEF = re.compile(r"^\[\^([^\]]+)\]:\s*(.*)$")
_FOOTREF = re.compile(r"\[\^[^\]]+\]")
_TAG = re.compile(r"<[^>\n]{1,300}>")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPH = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_ESC = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~^])")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
# A list item: it starts a new paragraph even without a blank line before it ("1) Declining" / "2) Moderate decline").
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d{1,3}[.)]|\(?[a-z]\))\s+\S")


def clean_inline(text: str) -> str:
    """Remove Markdown inline markup, keeping the words."""
    text = _FOOTREF.sub("", text)
    text = _TAG.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _EMPH.sub(lambda m: m.group(2) or m.group(3) or "", text)
    text = _ESC.sub(r"\1", text)
    return text.replace("&nbsp;", " ").replace("&amp;", "&")


def split_front_matter(text: str) -> tuple[dict, str]:
    m = _FRONT.match(text)
    if not m:
        return {}, text
    try:
        meta = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError:
        return {}, text
    if not isinstance(meta, dict):
        return {}, text
    return {str(k): v for k, v in meta.items()}, text[m.end():]


def read_markdown(path: Path, data: bytes, options: ReadOptions = ReadOptions()) -> RawDoc:
    text, enc = decode_text(str(path), data)
    meta, body = split_front_matter(text.replace("\r\n", "\n"))
    lines: list[RawLine] = []
    pending = True
    in_code = False
    for raw in body.split("\n"):
        stripped = raw.strip()
        if stripped.startswith("```"):
            in_code = not in_code
            pending = True
            continue
        if not stripped:
            pending = True
            continue
        if _TABLE_RULE.match(stripped) and "|" in stripped:
            continue
        h = _HEADING.match(stripped)
        if h and not in_code:
            content = clean_inline(h.group(2)).strip()
            if content:
                lines.append(RawLine(content, break_before=True, whole=True, role="heading", heading_level=len(h.group(1))))
            pending = True
            continue
        f = _FOOTDEF.match(stripped)
        if f:
            lines.append(RawLine(clean_inline(f.group(2)), break_before=True, whole=True, role="footnote"))
            pending = True
            continue
        if stripped.startswith("|") and stripped.endswith("|"):
            cells = [clean_inline(c).strip() for c in stripped.strip("|").split("|")]
            lines.append(RawLine("\t".join(cells), break_before=True, whole=True, role="table"))
            pending = True
            continue
        if stripped.startswith(">"):
            stripped = stripped.lstrip("> ")
        content = clean_inline(stripped).strip()
        if not content:
            continue
        lines.append(RawLine(content, break_before=pending or bool(_LIST_ITEM.match(stripped))))
        pending = False
    return RawDoc(lines=lines, meta=meta, warnings=encoding_warnings(enc))
