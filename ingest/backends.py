"""The format map: one backend per format behind one small interface."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Callable, Protocol

from unkg.errors import UnsupportedFormat

from .options import ReadOptions
from .raw import RawDoc


class Backend(Protocol):
    def __call__(self, path: Path, data: bytes, options: ReadOptions) -> RawDoc: ...


#: format -> (module of its backend, the reader's name, file extensions); the backends import nothing from here,
#: so the map loads a backend only when a file of its format comes (PDF and DOCX libraries stay unloaded otherwise)
FORMAT_MAP: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "pdf": ("unkg.ingest.pdf_backend", "read_pdf", ("pdf",)),
    "docx": ("unkg.ingest.docx_backend", "read_docx", ("docx", "docm", "dotx")),
    "html": ("unkg.ingest.html_backend", "read_html", ("html", "htm", "xhtml")),
    "markdown": ("unkg.ingest.markdown_backend", "read_markdown", ("md", "markdown")),
    "text": ("unkg.ingest.text_backend", "read_text", ("txt", "text")),
}
_EXTENSIONS: dict[str, str] = {ext: fmt for fmt, (_, _, exts) in FORMAT_MAP.items() for ext in exts}


def supported_extensions() -> set[str]:
    return set(_EXTENSIONS)


def sniff_format(path: Path, data: bytes) -> str:
    """Pick the format from the content first, the extension second.

    A file whose extension lies (a PDF called .docx) is still read by the
    right backend; content that matches no backend is refused.
    """
    ext = path.suffix.lower().lstrip(".")
    head = data[:1024]
    if head.lstrip()[:5] == b"%PDF-" or data[:1024].find(b"%PDF-") != -1 and ext == "pdf":
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        if ext in ("docx", "docm", "dotx") or b"word/" in data[:65536] or b"[Content_Types].xml" in data[:4096]:
            return "docx"
        raise UnsupportedFormat(str(path), "a zip archive that is not a Word document")
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnsupportedFormat(str(path), "a legacy binary Office file (.doc/.xls); save it as .docx or PDF")
    if ext == "pdf":
        from unkg.errors import IngestError

        raise IngestError(str(path), "not a PDF: the file has no %PDF- header (truncated or mislabelled)", "invalid")
    if ext == "docx":
        from unkg.errors import IngestError

        raise IngestError(str(path), "not a Word document: the file is not a zip archive", "invalid")
    if ext in _EXTENSIONS:
        fmt = _EXTENSIONS[ext]
        if fmt == "text" and _looks_like_markdown(data):
            return "markdown"
        return fmt
    low = head.lower()
    if b"<html" in low or b"<!doctype html" in low:
        return "html"
    if ext in ("", "text"):
        return "text"
    raise UnsupportedFormat(str(path), f"unsupported file type '.{ext}' (supported: {', '.join(sorted(_EXTENSIONS))})")


_MD_HEADING = re.compile(rb"^#{1,6} \S", re.M)
_MD_FRONT = re.compile(rb"\A---\r?\n[\w-]+:")


def _looks_like_markdown(data: bytes) -> bool:
    """Text files exported as Markdown (headings, escapes, front matter) go to the Markdown backend."""
    head = data[:200000]
    return bool(_MD_FRONT.match(head)) or len(_MD_HEADING.findall(head)) >= 2


def backend_for(fmt: str) -> Callable[[Path, bytes], RawDoc]:
    module, reader, _ = FORMAT_MAP[fmt]
    return getattr(importlib.import_module(module), reader)
