"""PDF via pdfplumber: lines with positions and font sizes.

Layout cues decide what plain text cannot: a vertical gap or a first-line
indent starts a paragraph; small type at the foot of a page is a footnote.
"""

from __future__ import annotations

import io
import statistics
from pathlib import Path

from unkg.errors import EncryptedFile, IngestError
from unkg.settings import get_settings

from .backends import register
from .raw import RawDoc, RawLine


def _open(path: Path, data: bytes):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.psparser import PSException

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        _ = pdf.pages  # forces the page tree to load
        return pdf
    except PDFPasswordIncorrect:
        raise EncryptedFile(str(path), "the PDF is encrypted with a password; supply an unencrypted copy") from None
    except PDFEncryptionError as exc:
        raise EncryptedFile(str(path), f"the PDF uses unsupported encryption ({exc})") from None
    except PSException as exc:
        raise IngestError(str(path), f"damaged PDF ({type(exc).__name__}: {exc})", "invalid") from None
    except Exception as exc:  # pdfminer raises plain exceptions for many broken files
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in name:
            raise EncryptedFile(str(path)) from None
        raise IngestError(str(path), f"damaged or truncated PDF ({name}: {exc})", "invalid") from None


@register("pdf", "pdf")
def read_pdf(path: Path, data: bytes) -> RawDoc:
    pdf = _open(path, data)
    warnings: list[str] = []
    lines: list[RawLine] = []
    max_pages = get_settings().max_pages
    try:
        pages = pdf.pages
        if len(pages) > max_pages:
            warnings.append(f"only the first {max_pages} of {len(pages)} pages were read (UNKG_MAX_PAGES)")
            pages = pages[:max_pages]
        for pno, page in enumerate(pages, start=1):
            try:
                plines = page.extract_text_lines(return_chars=True, strip=True)
            except Exception as exc:  # one broken page must not lose the document
                warnings.append(f"page {pno}: {type(exc).__name__}: {exc}")
                continue
            lines.extend(_page_lines(plines, pno, float(page.height)))
            page.flush_cache()
    finally:
        pdf.close()
    return RawDoc(lines=lines, pages=len(pdf.pages), warnings=warnings)


def _page_lines(plines: list[dict], pno: int, height: float) -> list[RawLine]:
    if not plines:
        return []
    sizes = [statistics.median([c["size"] for c in ln["chars"]]) if ln["chars"] else 0 for ln in plines]
    body_size = statistics.median(sizes) if sizes else 0
    gaps = [plines[i]["top"] - plines[i - 1]["bottom"] for i in range(1, len(plines))]
    normal_gap = statistics.median(gaps) if gaps else 0
    lefts = sorted(ln["x0"] for ln in plines)
    margin = lefts[len(lefts) // 10] if lefts else 0
    out: list[RawLine] = []
    for i, ln in enumerate(plines):
        text = ln["text"]
        size = sizes[i]
        brk = i == 0
        if i > 0:
            gap = ln["top"] - plines[i - 1]["bottom"]
            if gap > max(normal_gap * 1.6, normal_gap + 2.5):
                brk = True
            elif ln["x0"] > margin + 8 and plines[i - 1]["x0"] <= margin + 2:
                brk = True  # first-line indent
        role = "body"
        if body_size and size < body_size * 0.85 and ln["top"] > height * 0.6:
            role = "footnote"
        out.append(RawLine(text, page=pno, break_before=brk, role=role, size=size))
    return out
