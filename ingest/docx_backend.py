"""DOCX via python-docx: paragraphs and tables in body order, heading styles, footnotes.

The zip is checked before python-docx opens it (entry count, expanded size,
compression ratio) so a zip bomb is refused rather than unpacked.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from unkg.errors import IngestError

from .options import ReadOptions
from .raw import RawDoc, RawLine

MAX_ENTRIES = 2000
MAX_EXPANDED = 400 * 1024 * 1024
MAX_RATIO = 200
_HEADING_STYLE = re.compile(r"^(?:heading|titre|título|заголовок|标题)\s*(\d)|^_\s*H\s*_?\s*(\d|Ch)|^Title_H", re.I)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def check_zip(path: str, data: bytes) -> zipfile.ZipFile:
    """Open the archive and refuse bombs, truncation and non-Word zips."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise IngestError(path, f"damaged or truncated Word file (not a readable zip: {exc})", "invalid") from None
    if len(infos) > MAX_ENTRIES:
        raise IngestError(path, f"suspicious Word file: {len(infos)} zip entries (limit {MAX_ENTRIES})", "zip_bomb")
    total = sum(i.file_size for i in infos)
    packed = max(sum(i.compress_size for i in infos), 1)
    if total > MAX_EXPANDED or (total > 50 * 1024 * 1024 and total / packed > MAX_RATIO):
        raise IngestError(path, f"suspicious Word file: expands to {total // (1024 * 1024)} MB (zip bomb?)", "zip_bomb")
    names = {i.filename for i in infos}
    if "word/document.xml" not in names:
        raise IngestError(path, "a zip archive without word/document.xml; not a Word document", "invalid")
    for name in ("word/document.xml", "word/footnotes.xml", "[Content_Types].xml"):
        if name in names:
            head = zf.open(name).read(4096)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise IngestError(path, f"Word file part {name} declares a DTD/entities (billion laughs or external entity); refused", "unsafe_xml")
    return zf


def _footnotes(zf: zipfile.ZipFile) -> list[str]:
    import lxml.etree as etree

    if "word/footnotes.xml" not in zf.namelist():
        return []
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    root = etree.fromstring(zf.read("word/footnotes.xml"), parser)
    out = []
    for fn in root.iter(f"{_W}footnote"):
        if fn.get(f"{_W}type") in ("separator", "continuationSeparator"):
            continue
        text = "".join(t.text or "" for t in fn.iter(f"{_W}t")).strip()
        if text:
            out.append(f"{fn.get(f'{_W}id')} {text}")
    return out


def read_docx(path: Path, data: bytes, options: ReadOptions = ReadOptions()) -> RawDoc:
    import docx

    zf = check_zip(str(path), data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for broken packages
        raise IngestError(str(path), f"unreadable Word file: {type(exc).__name__}: {exc}", "invalid") from None
    try:
        lines, meta = _walk(document)
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:  # a package that opens but whose XML is not a Word body (seen by fuzzing)
        raise IngestError(str(path), f"damaged Word file: its document part is not a readable Word body "
                                     f"({type(exc).__name__}: {str(exc)[:120]})", "invalid") from None
    warnings: list[str] = []
    try:
        notes = _footnotes(zf)
    except Exception as exc:  # lxml's XMLSyntaxError and kin: the body is still good
        if isinstance(exc, (MemoryError, RecursionError)):
            raise
        notes = []
        warnings.append(f"the footnotes part is damaged ({type(exc).__name__}); footnotes skipped")
    for note in notes:
        lines.append(RawLine(note, break_before=True, whole=True, role="footnote"))
    return RawDoc(lines=lines, meta=meta, warnings=warnings)


def _walk(document) -> tuple[list[RawLine], dict]:
    """Paragraphs and table rows in body order, and the core properties worth keeping."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[RawLine] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = item.text.replace("\u00a0", " ").strip()
            if not text:
                continue
            style = (item.style.name if item.style is not None else "") or ""
            m = _HEADING_STYLE.match(style)
            if m:
                lvl = m.group(1) or m.group(2) or "1"
                lines.append(RawLine(text, break_before=True, whole=True, role="heading", heading_level=int(lvl) if lvl.isdigit() else 1))
            elif style.lower() == "title":
                lines.append(RawLine(text, break_before=True, whole=True, role="heading", heading_level=1))
            else:
                for k, part in enumerate(text.split("\n")):
                    if part.strip():
                        lines.append(RawLine(part.strip(), break_before=True, whole=True))
        elif isinstance(item, Table):
            for row in item.rows:
                seen: list[str] = []
                for cell in row.cells:
                    t = " ".join(cell.text.split())
                    if t and (not seen or seen[-1] != t):
                        seen.append(t)
                if seen:
                    lines.append(RawLine("\t".join(seen), break_before=True, whole=True, role="table"))
    props = document.core_properties
    meta = {k: v for k, v in {"title": props.title, "language": props.language, "subject": props.subject}.items() if v}
    return lines, meta
